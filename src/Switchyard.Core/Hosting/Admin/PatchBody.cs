using System.Runtime.CompilerServices;

namespace Switchyard.Hosting;

/// <summary>
/// A request body read as a JSON merge patch: the serializer calls a setter only for a member the JSON has,
/// so each setter marks its member present and <c>"x": null</c> (clear it) differs from no <c>x</c> (keep it).
/// </summary>
internal abstract record PatchBody
{
    private readonly HashSet<string> _present = new(StringComparer.Ordinal);

    /// <summary>Whether the body has the member named by its C# name (<c>nameof</c>), null or not.</summary>
    public bool Has(string member) => _present.Contains(member);

    /// <summary>The member's value when the body has it (null included), else <paramref name="current"/>.</summary>
    public T? Or<T>(string member, T? value, T? current) => Has(member) ? value : current;

    protected T Mark<T>(T value, [CallerMemberName] string member = "")
    {
        _present.Add(member);
        return value;
    }
}
