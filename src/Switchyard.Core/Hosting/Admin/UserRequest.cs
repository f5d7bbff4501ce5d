using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/users</c> and <c>PATCH /api/users/{id}</c> (where an id is refused).</summary>
internal sealed record UserRequest : SubjectRequest
{
    [JsonPropertyOrder(-2)]
    public string? Id { get; set => field = Mark(value); }

    public string? Email { get; set => field = Mark(value); }

    public string? Team { get; set => field = Mark(value); }
}
