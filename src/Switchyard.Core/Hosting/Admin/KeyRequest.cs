using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/keys</c> and <c>PATCH /api/keys/{id}</c>.</summary>
internal sealed record KeyRequest : SubjectRequest
{
    public string? Team { get; set => field = Mark(value); }

    public string? User { get; set => field = Mark(value); }

    public string[]? Models { get; set => field = Mark(value); }

    public string[]? Scopes { get; set => field = Mark(value); }

    public DateTimeOffset? ExpiresAt { get; set => field = Mark(value); }

    /// <summary>A duration string ("30d") or a number of seconds.</summary>
    public JsonElement? ExpiresIn { get; set => field = Mark(value); }

    [JsonPropertyOrder(2)]
    public string? Capture { get; set => field = Mark(value); }

    /// <summary>The key's own guardrail lists; null makes both follow its team's or the model group's.</summary>
    [JsonPropertyOrder(2)]
    public GuardrailListsPatch? Guardrails { get; set => field = Mark(value); }
}
