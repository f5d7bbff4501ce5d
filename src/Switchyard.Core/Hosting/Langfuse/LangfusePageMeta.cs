namespace Switchyard.Hosting;

/// <summary>Langfuse's pagination block: pages count from 1.</summary>
internal sealed record LangfusePageMeta(int Page, int Limit, int TotalItems, int TotalPages);
