namespace Switchyard.Hosting;

/// <summary>The body of Langfuse's <c>PATCH /api/public/v2/prompts/{name}/versions/{version}</c>: labels to move onto the version.</summary>
internal sealed record LangfuseLabelsBody
{
    public string[]? NewLabels { get; init; }
}
