using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/teams</c> and <c>PATCH /api/teams/{id}</c> (where an id is refused).</summary>
internal sealed record TeamRequest : SubjectRequest
{
    [JsonPropertyOrder(-2)]
    public string? Id { get; set => field = Mark(value); }

    /// <summary>The guardrail lists of the team's keys (a key's own lists win); null makes both follow the model group's.</summary>
    [JsonPropertyOrder(2)]
    public GuardrailListsPatch? Guardrails { get; set => field = Mark(value); }
}
