namespace Switchyard.Hosting;

/// <summary>The answer of Langfuse's <c>GET /api/public/v2/prompts</c>.</summary>
internal sealed record LangfusePromptList(IReadOnlyList<LangfusePromptMeta> Data, LangfusePageMeta Meta);
