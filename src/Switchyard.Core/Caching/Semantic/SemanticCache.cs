using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Switchyard.Configuration;
using Switchyard.Embeddings;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// The semantic cache of one process: which model groups use it, the embedding model and the vector
/// index, and the lookup rule — the nearest cached requests of the same scope at or above the
/// similarity threshold, most similar first, the first one no <see cref="MatchVetoes">veto</see> refuses.
/// Answers live in the exact cache's store; the index only points at them, and forgets an entry when
/// the store lets it go.
/// </summary>
/// <remarks>
/// The model stays off the request path where it can: a miss is indexed after its answer, from a bounded
/// queue drained by <see cref="SemanticIndexer"/>; a lookup embeds only when its scope has entries to compare
/// with, and not at all (a shed, counted) when the embeddings under way would exceed the lookup budget.
/// </remarks>
internal sealed class SemanticCache
{
    /// <summary>How many neighbours above the threshold are checked against the vetoes before giving up.</summary>
    private const int Candidates = 8;

    private readonly Dictionary<string, bool> _groups = new(StringComparer.Ordinal);
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _vetoes;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _indexSkipped;
    private readonly Counter<long> _shed;
    private readonly Channel<(SemanticQuery Query, CacheEntry Entry)> _queue;
    private readonly TimeSpan _budget;
    private long _indexSkippedTotal;
    private long _shedTotal;

    public SemanticCache(SwitchyardOptions options, Telemetry.Out.GatewayTelemetry telemetry, EmbeddingBatcher embeddings, IVectorIndex index)
    {
        Embeddings = embeddings;
        Threshold = (float)options.Cache.SimilarityThreshold;
        _budget = options.Cache.SemanticLookupBudget;
        IndexCapacity = options.Cache.SemanticIndexQueue;
        _queue = Channel.CreateBounded<(SemanticQuery, CacheEntry)>(new BoundedChannelOptions(options.Cache.SemanticIndexQueue) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        var enabledByDefault = options.Cache.Semantic ?? options.DiscoverProviders;
        foreach (var (name, group) in options.ModelGroups)
        {
            _groups[name] = group.Cache.Semantic ?? enabledByDefault;
        }

        Index = index;
        var meter = telemetry.Meter;
        _duration = meter.CreateHistogram("switchyard.cache.semantic.lookup.duration", "s", "Semantic cache lookups in a scope that has entries: embedding the last user turn plus the nearest-neighbour search and vetoes (a shed lookup counts its check only).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25] });
        _vetoes = meter.CreateCounter<long>("switchyard.cache.semantic.vetoes", "{match}", "Neighbours above the similarity threshold refused by a veto (numbers, negation, names...), by reason.");
        _skipped = meter.CreateCounter<long>("switchyard.cache.semantic.skipped", "{call}", "Calls of a semantic group the semantic cache could not compare (last turn not the user's, not text, beyond the model's window).");
        _indexSkipped = meter.CreateCounter<long>("switchyard.cache.semantic.index.skipped", "{entry}", "Stored answers left out of the semantic index because its queue was full (the exact cache still serves them).");
        _shed = meter.CreateCounter<long>("switchyard.cache.semantic.shed", "{call}", "Semantic lookups not made because the embeddings under way would exceed the lookup budget (the call went on as an exact-cache-only miss).");
        meter.CreateObservableGauge("switchyard.cache.semantic.entries", () => Index.Count, "{entry}", "Vectors in the semantic index.");
        meter.CreateObservableGauge("switchyard.cache.semantic.index.queued", () => IndexQueued, "{entry}", "Stored answers waiting for their embedding to enter the semantic index.");
    }

    public float Threshold { get; }

    public IVectorIndex Index { get; }

    /// <summary>True when some model group uses the semantic cache (so the model is worth loading at start).</summary>
    public bool InUse => _groups.ContainsValue(true);

    public bool EnabledFor(string group) => _groups.TryGetValue(group, out var enabled) && enabled;

    public ITextEmbedder Embedder => Embeddings.Embedder;

    /// <summary>The model's queue, shared with the other stages that compare meaning; the lookup budget is checked against it.</summary>
    public EmbeddingBatcher Embeddings { get; }

    /// <summary>How many stored answers may wait to be indexed.</summary>
    public int IndexCapacity { get; }

    /// <summary>Stored answers waiting to be indexed.</summary>
    public int IndexQueued => _queue.Reader.Count;

    /// <summary>Stored answers left out of the index since start because the queue was full.</summary>
    public long IndexSkipped => Interlocked.Read(ref _indexSkippedTotal);

    /// <summary>Lookups shed since start.</summary>
    public long Shed => Interlocked.Read(ref _shedTotal);

    /// <summary>What <see cref="SemanticIndexer"/> drains.</summary>
    public ChannelReader<(SemanticQuery Query, CacheEntry Entry)> IndexQueue => _queue.Reader;

    /// <summary>What the call's request compares, or null (counted) when it cannot be compared.</summary>
    public SemanticQuery? QueryOf(JsonElement root, string space, string group, string api, TurnEmbedding? known)
    {
        var query = SemanticQuery.Of(root, space, group, api, Embedder, known, out var skipped);
        if (skipped is not null && _skipped.Enabled)
        {
            _skipped.Add(1, new("model_group", group), new KeyValuePair<string, object?>("reason", skipped));
        }

        return query;
    }

    /// <summary>The cached answer to serve for <paramref name="query"/> and its similarity, a miss, or a shed lookup.</summary>
    public async ValueTask<SemanticLookup> LookupAsync(SemanticQuery query, ICacheStore store, string group, CancellationToken cancellationToken)
    {
        // Nothing to compare with, nothing to embed: the index knows a scope is empty without a search, and
        // the stored answer is embedded later, off the request path, if this call stores one.
        if (!await Index.AnyAsync(query.Scope, cancellationToken).ConfigureAwait(false))
        {
            return SemanticLookup.Miss;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            if (await Embeddings.VectorOfAsync(query.Turn, _budget, cancellationToken).ConfigureAwait(false) is not { } vector)
            {
                Interlocked.Increment(ref _shedTotal);
                _shed.Add(1, new KeyValuePair<string, object?>("model_group", group));
                return SemanticLookup.LoadShed;
            }

            var matches = await Index.NearestAsync(query.Scope, vector, Threshold, Candidates, cancellationToken).ConfigureAwait(false);
            foreach (var match in matches)
            {
                if (await store.GetAsync(match.Entry, cancellationToken).ConfigureAwait(false) is not { Prompt: { } prompt } entry)
                {
                    await Index.RemoveAsync(query.Scope, match.Entry, cancellationToken).ConfigureAwait(false); // expired or evicted
                    continue;
                }

                if (MatchVetoes.Veto(prompt, query.Text) is { } veto)
                {
                    if (_vetoes.Enabled)
                    {
                        var reason = veto.IndexOf(" (", StringComparison.Ordinal) is var cut and > 0 ? veto[..cut] : veto;
                        _vetoes.Add(1, new("model_group", group), new KeyValuePair<string, object?>("reason", reason));
                    }

                    continue;
                }

                return new SemanticLookup(entry, match.Similarity, Shed: false);
            }

            return SemanticLookup.Miss;
        }
        finally
        {
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("model_group", group));
        }
    }

    /// <summary>
    /// Queues a stored entry to be made findable by meaning, after the call; false (counted) when the queue
    /// is full, the entry then served by the exact cache only.
    /// </summary>
    public bool Remember(SemanticQuery query, CacheEntry entry, string group)
    {
        if (_queue.Writer.TryWrite((query, entry)))
        {
            return true;
        }

        Interlocked.Increment(ref _indexSkippedTotal);
        _indexSkipped.Add(1, new KeyValuePair<string, object?>("model_group", group));
        return false;
    }

    /// <summary>
    /// The vector a queued entry is indexed under: the one its lookup (or an earlier stage) computed, else
    /// embedded in the background, when no lookup waits for the model.
    /// </summary>
    public async Task EmbedForIndexAsync(SemanticQuery query, CancellationToken cancellationToken)
    {
        query.Vector ??= await query.Turn.VectorInBackgroundAsync(Embeddings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Indexes one queued entry once <see cref="EmbedForIndexAsync"/> gave it its vector. The store may have
    /// let the entry go while it waited (its <see cref="Forget"/> then found nothing to remove), so it is
    /// checked after.
    /// </summary>
    public async ValueTask IndexAsync(SemanticQuery query, CacheEntry entry, ICacheStore store, CancellationToken cancellationToken)
    {
        var vector = query.Vector ?? throw new InvalidOperationException("An entry is indexed only after EmbedForIndexAsync gave it its vector.");
        await Index.AddAsync(query.Scope, entry.Key, vector, cancellationToken).ConfigureAwait(false);
        if (await store.GetAsync(entry.Key, cancellationToken).ConfigureAwait(false) is null)
        {
            await Index.RemoveAsync(query.Scope, entry.Key, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Called by the store for every entry it lets go.</summary>
    public void Forget(CacheEntry entry)
    {
        if (entry.SemanticScope is { } scope)
        {
            _ = Index.RemoveAsync(scope, entry.Key, CancellationToken.None).AsTask();
        }
    }
}
