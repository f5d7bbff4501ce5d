using Switchyard.Recording;

namespace Switchyard.Tracing;

/// <summary>What a batch of calls adds to the rollups, per minute and model group and per hour, model group, key and team.</summary>
internal sealed class RollupDeltas
{
    public Dictionary<(long MinuteUs, string ModelGroup), MinuteStats> Minutes { get; } = [];

    public Dictionary<(long HourUs, string ModelGroup, string KeyId, string Team), MinuteStats> Hours { get; } = [];

    public bool IsEmpty => Minutes.Count == 0 && Hours.Count == 0;

    public static RollupDeltas Of(IEnumerable<CallRecord> calls)
    {
        var deltas = new RollupDeltas();
        foreach (var r in calls)
        {
            var us = r.StartTime.ToUnixTimeMilliseconds() * 1000;
            long? ttft = r.TimeToFirstToken is { } t ? t.Ticks / 10 : null;
            deltas.Add(us, r.ModelGroup ?? "", r.KeyId ?? "", r.Team ?? "", r.Status, r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.CachedInputTokens, r.Usage.ReasoningTokens, r.CostNanoUsd, r.Latency.Ticks / 10, ttft, r.Cache, r.CostSavedNanoUsd);
        }

        return deltas;
    }

    /// <summary>Adds one call, given by its columns as recorded.</summary>
    public void Add(long startUs, string modelGroup, string keyId, string team, int status, long input, long output, long cached, long reasoning, long? costNanoUsd, long latencyUs, long? ttftUs, string? cache, long? savedNanoUsd)
    {
        foreach (var stats in (MinuteStats[])[Of(Minutes, (MinuteRollups.MinuteOf(startUs), modelGroup)), Of(Hours, (MinuteRollups.HourOf(startUs), modelGroup, keyId, team))])
        {
            stats.Add(status, input, output, cached, reasoning, costNanoUsd, latencyUs, ttftUs, cache, savedNanoUsd);
        }
    }

    private static MinuteStats Of<TKey>(Dictionary<TKey, MinuteStats> deltas, TKey key)
        where TKey : notnull
    {
        if (!deltas.TryGetValue(key, out var stats))
        {
            deltas[key] = stats = new MinuteStats();
        }

        return stats;
    }
}
