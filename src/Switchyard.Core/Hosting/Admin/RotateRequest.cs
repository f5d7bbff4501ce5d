using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/keys/{id}/rotate</c>: how long the old secret keeps working.</summary>
internal sealed record RotateRequest : PatchBody
{
    /// <summary>A duration string ("1h") or a number of seconds; absent: <c>keys.rotation_grace</c>.</summary>
    public JsonElement? Grace { get; set => field = Mark(value); }
}
