using Switchyard.Hosting;

namespace Switchyard.Limits;

/// <summary><c>limits</c> in a request body (and in storage): each member given replaces the current value; null means no limit.</summary>
internal sealed record LimitsPatch : PatchBody
{
    public long? Rpm { get; set => field = Mark(value); }

    public long? Tpm { get; set => field = Mark(value); }

    public long? MaxConcurrent { get; set => field = Mark(value); }
}
