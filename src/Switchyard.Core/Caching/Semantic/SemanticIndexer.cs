using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// Embeds stored answers and adds them to the semantic index, after their calls have answered. It hands
/// the model a few texts at a time as background work (<see cref="Embeddings.EmbeddingBatcher"/>), which runs
/// them together when no lookup waits: a caller's lookup always goes first.
/// </summary>
internal sealed partial class SemanticIndexer(SemanticCache semantic, ExactCache cache, ILogger<SemanticIndexer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(SemanticQuery Query, CacheEntry Entry, Task Embedded)>(Embeddings.EmbeddingBatcher.BackgroundBatch);
        try
        {
            while (await semantic.IndexQueue.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < Embeddings.EmbeddingBatcher.BackgroundBatch && semantic.IndexQueue.TryRead(out var item))
                {
                    batch.Add((item.Query, item.Entry, semantic.EmbedForIndexAsync(item.Query, stoppingToken)));
                }

                foreach (var (query, entry, embedded) in batch)
                {
                    try
                    {
                        await embedded.ConfigureAwait(false);
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
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still queued is not worth delaying the stop for; the exact cache keeps it.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Semantic cache of model group {Group}: indexing a stored answer failed; it is served by the exact cache only")]
    private static partial void Failed(ILogger logger, string group, Exception exception);
}
