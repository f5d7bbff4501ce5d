using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// Loads the embedding model in the background at start when some model group uses the semantic cache,
/// so the first request to reach it does not wait about a second for 90 MB of model to load.
/// </summary>
internal sealed partial class SemanticWarmup(SemanticCache semantic, ILogger<SemanticWarmup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!semantic.InUse)
        {
            return;
        }

        // Through the embedding worker, so the model's session (and any inference thread it starts) is
        // made on that background-priority thread.
        try
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await semantic.Embeddings.EmbedInBackgroundAsync("warm up", stoppingToken).ConfigureAwait(false);
            Loaded(logger, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while the model loaded: nothing failed.
        }
        catch (Exception ex)
        {
            Failed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Semantic cache: embedding model loaded in {Milliseconds:F0} ms")]
    private static partial void Loaded(ILogger logger, double milliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Semantic cache: the embedding model failed to load; semantic lookups will fail over to misses")]
    private static partial void Failed(ILogger logger, Exception exception);
}
