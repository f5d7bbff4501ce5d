namespace Switchyard.Hosting;

/// <summary>The body of <c>PUT /api/prompts/{name}/labels/{label}</c>.</summary>
internal sealed record LabelRequest
{
    public int? Version { get; init; }

    /// <summary>Move only if the label still points here (0: only if it does not exist yet); a 409 otherwise.</summary>
    public int? ExpectedVersion { get; init; }

    public string? Reason { get; init; }
}
