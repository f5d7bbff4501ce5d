using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// The one worker that embeds stored answers and adds them to the semantic index, after their calls have
/// answered. One at a time on purpose: the inference threads are shared with lookups, and a single worker
/// adds at most one embedding to the backlog a lookup is measured against.
/// </summary>
internal sealed partial class SemanticIndexer(SemanticCache semantic, ExactCache cache, ILogger<SemanticIndexer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The embedding is synchronous and CPU-bound: off the host's start-up path.
        await Task.Yield();
        try
        {
            await foreach (var (query, entry) in semantic.IndexQueue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await semantic.IndexAsync(query, entry, cache.Store, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception) when (stoppingToken.IsCancellationRequested)
                {
                    return; // stopping ends the embedding under way (ONNX Runtime reports its own exception, not a cancellation)
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Failed(logger, entry.ModelGroup, ex); // the client has its answer; only the index misses it
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is not worth delaying the stop for; the exact cache keeps it.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Semantic cache of model group {Group}: indexing a stored answer failed; it is served by the exact cache only")]
    private static partial void Failed(ILogger logger, string group, Exception exception);
}
