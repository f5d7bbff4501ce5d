using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Switchyard.Configuration;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// The semantic cache of one process: which model groups use it, the embedding model and the vector
/// index, and the lookup rule — the nearest cached requests of the same scope at or above the
/// similarity threshold, most similar first, the first one no <see cref="MatchVetoes">veto</see> refuses.
/// Answers live in the exact cache's store; the index only points at them, and forgets an entry when
/// the store lets it go.
/// </summary>
internal sealed class SemanticCache
{
    /// <summary>How many neighbours above the threshold are checked against the vetoes before giving up.</summary>
    private const int Candidates = 8;

    private readonly Dictionary<string, bool> _groups = new(StringComparer.Ordinal);
    private readonly Func<ITextEmbedder> _embedder;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _vetoes;
    private readonly Counter<long> _skipped;

    public SemanticCache(SwitchyardOptions options, Telemetry.Out.GatewayTelemetry telemetry, Func<ITextEmbedder>? embedder = null, IVectorIndex? index = null)
    {
        _embedder = embedder ?? (() => MiniLmEmbedder.Shared);
        Threshold = (float)options.Cache.SimilarityThreshold;
        var enabledByDefault = options.Cache.Semantic ?? options.DiscoverProviders;
        foreach (var (name, group) in options.ModelGroups)
        {
            _groups[name] = group.Cache.Semantic ?? enabledByDefault;
        }

        Index = index ?? new VectorIndex(MiniLmEmbedder.VectorDimensions);
        var meter = telemetry.Meter;
        _duration = meter.CreateHistogram("switchyard.cache.semantic.lookup.duration", "s", "Semantic cache lookups: embedding the last user turn plus the nearest-neighbour search and vetoes.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1, 0.25] });
        _vetoes = meter.CreateCounter<long>("switchyard.cache.semantic.vetoes", "{match}", "Neighbours above the similarity threshold refused by a veto (numbers, negation, names...), by reason.");
        _skipped = meter.CreateCounter<long>("switchyard.cache.semantic.skipped", "{call}", "Calls of a semantic group the semantic cache could not compare (last turn not the user's, not text, beyond the model's window).");
        meter.CreateObservableGauge("switchyard.cache.semantic.entries", () => Index.Count, "{entry}", "Vectors in the semantic index.");
    }

    public float Threshold { get; }

    public IVectorIndex Index { get; }

    /// <summary>True when some model group uses the semantic cache (so the model is worth loading at start).</summary>
    public bool InUse => _groups.ContainsValue(true);

    public bool EnabledFor(string group) => _groups.TryGetValue(group, out var enabled) && enabled;

    public ITextEmbedder Embedder => _embedder();

    /// <summary>What the call's request compares, or null (counted) when it cannot be compared.</summary>
    public SemanticQuery? QueryOf(JsonElement root, string space, string group, string api)
    {
        var query = SemanticQuery.Of(root, space, group, api, Embedder, out var skipped);
        if (skipped is not null && _skipped.Enabled)
        {
            _skipped.Add(1, new("model_group", group), new KeyValuePair<string, object?>("reason", skipped));
        }

        return query;
    }

    /// <summary>The cached answer to serve for <paramref name="query"/> and its similarity, or null.</summary>
    public async ValueTask<(CacheEntry Entry, float Similarity)?> LookupAsync(SemanticQuery query, ICacheStore store, string group, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            query.Vector ??= Embedder.Embed(query.Text, cancellationToken);
            var matches = await Index.NearestAsync(query.Scope, query.Vector, Threshold, Candidates, cancellationToken).ConfigureAwait(false);
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

                return (entry, match.Similarity);
            }

            return null;
        }
        finally
        {
            _duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("model_group", group));
        }
    }

    /// <summary>Makes a stored entry findable by meaning (embedding the query now if no lookup did).</summary>
    public ValueTask RememberAsync(SemanticQuery query, CacheEntry entry, CancellationToken cancellationToken)
    {
        query.Vector ??= Embedder.Embed(query.Text, cancellationToken);
        return Index.AddAsync(query.Scope, entry.Key, query.Vector, cancellationToken);
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
