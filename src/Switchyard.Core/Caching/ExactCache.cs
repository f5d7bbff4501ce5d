using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchyard.Configuration;
using Switchyard.Gateway;

namespace Switchyard.Caching;

/// <summary>
/// The exact cache of one process: the bounded store (which also holds the answers the semantic cache
/// points at), the calls in flight per key (so concurrent identical misses make one upstream call), each
/// group's policy and bounds, and the cache's metrics.
/// </summary>
internal sealed class ExactCache
{
    private readonly ConcurrentDictionary<CacheKey, TaskCompletionSource<CacheEntry?>> _inFlight = new();
    private readonly Dictionary<string, (bool Enabled, TimeSpan Ttl)> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int MaxEntries, long MaxBytes)> _limits = new(StringComparer.Ordinal);
    private readonly Counter<long> _lookups;
    private readonly Counter<double> _saved;

    /// <param name="store">Where answers are kept; by default the in-process store, bounded as configured.</param>
    public ExactCache(SwitchyardOptions options, TimeProvider time, Telemetry.Out.GatewayTelemetry telemetry, Semantic.SemanticCache semantic, ICacheStore? store = null)
    {
        Options = options.Cache;
        Time = time;
        var enabledByDefault = Options.Exact ?? options.DiscoverProviders;
        foreach (var (name, group) in options.ModelGroups)
        {
            _groups[name] = (group.Cache.Exact ?? enabledByDefault, group.Cache.Ttl ?? Options.Ttl);
            _limits[name] = (group.Cache.MaxEntries ?? Options.MaxEntries, group.Cache.MaxBytes ?? Options.MaxBytes);
        }

        Store = store ?? new InMemoryCacheStore(time, Options.MaxEntries, Options.MaxBytes, LimitsOf, semantic.Forget);

        var meter = telemetry.Meter;
        _lookups = meter.CreateCounter<long>("switchyard.cache.lookups", "{call}", "Calls that reached the cache, by model group and outcome (hit, miss, bypass).");
        _saved = meter.CreateCounter<double>("switchyard.cache.saved", "USD", "Upstream cost avoided by cache hits, at the price of the call that filled the entry.");
        meter.CreateObservableGauge("switchyard.cache.entries", () => PerGroup(g => g.Entries), "{entry}", "Entries in the cache store (exact and semantic answers), by model group.");
        meter.CreateObservableGauge("switchyard.cache.memory", () => PerGroup(g => g.Bytes), "By", "Memory held by the cache's entries (bodies, prompts, vectors, plus a fixed per-entry estimate), by model group.");
        meter.CreateObservableCounter("switchyard.cache.evictions", () => PerGroup(g => g.Evictions), "{entry}", "Entries evicted by an entry or memory bound, by model group.");
    }

    public CacheOptions Options { get; }

    private IEnumerable<Measurement<long>> PerGroup(Func<(string Group, int Entries, long Bytes, long Evictions), long> value) =>
        Store.Groups().Select(g => new Measurement<long>(value(g), new KeyValuePair<string, object?>("model_group", g.Group)));

    public TimeProvider Time { get; }

    public ICacheStore Store { get; }

    public bool EnabledFor(string group) => _groups.TryGetValue(group, out var g) && g.Enabled;

    public TimeSpan TtlFor(string group) => _groups.TryGetValue(group, out var g) ? g.Ttl : Options.Ttl;

    public IEnumerable<string> Groups => _groups.Keys;

    /// <summary>A group's own bounds (the cache-wide ones unless the group sets its own).</summary>
    public (int MaxEntries, long MaxBytes) LimitsOf(string group) => _limits.TryGetValue(group, out var limits) ? limits : (Options.MaxEntries, Options.MaxBytes);

    /// <summary>Whose answers this caller may be served: its key, its team, or everyone, as configured.</summary>
    public string SpaceOf(Caller caller) => Options.Scope switch
    {
        CacheScope.Global => "global",
        CacheScope.Team when caller.TeamId is { } team => "team:" + team,
        _ => "key:" + (caller.KeyId ?? "anonymous"),
    };

    /// <summary>
    /// Null when this call leads (it must call upstream, then <see cref="Complete"/>); else the task of the
    /// identical call already in flight, whose entry this one may be served.
    /// </summary>
    public Task<CacheEntry?>? JoinOrLead(CacheKey key, out TaskCompletionSource<CacheEntry?>? lead)
    {
        var mine = new TaskCompletionSource<CacheEntry?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var current = _inFlight.GetOrAdd(key, mine);
        if (ReferenceEquals(current, mine))
        {
            lead = mine;
            return null;
        }

        lead = null;
        return current.Task;
    }

    /// <summary>The task of an identical call in flight, if any.</summary>
    public Task<CacheEntry?>? InFlight(CacheKey key) => _inFlight.TryGetValue(key, out var current) ? current.Task : null;

    public async ValueTask CompleteAsync(CacheKey key, TaskCompletionSource<CacheEntry?> lead, CacheEntry? entry)
    {
        try
        {
            if (entry is not null)
            {
                await Store.SetAsync(entry, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever the store did, the calls waiting on this one are released.
            _inFlight.TryRemove(new KeyValuePair<CacheKey, TaskCompletionSource<CacheEntry?>>(key, lead));
            lead.TrySetResult(entry);
        }
    }

    public void Count(string group, string outcome)
    {
        if (_lookups.Enabled)
        {
            _lookups.Add(1, new("model_group", group), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void Saved(string group, long? nanoUsd)
    {
        if (nanoUsd is > 0 && _saved.Enabled)
        {
            _saved.Add(nanoUsd.Value / 1e9, new KeyValuePair<string, object?>("model_group", group));
        }
    }
}
