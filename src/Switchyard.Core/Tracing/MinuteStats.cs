using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace Switchyard.Tracing;

/// <summary>
/// What one minute of one model group's calls add up to: counts, tokens, cost, cache outcomes, and the
/// latency and time-to-first-token distributions as sparse log-scale histograms (16 buckets per doubling,
/// so a percentile read from them is within about 2 % of the exact one). Minutes merge into any longer
/// bucket, which lets the dashboard chart a week of a million calls without reading them.
/// </summary>
internal sealed class MinuteStats
{
    private const int PerDoubling = 16;
    private const int Version = 1;

    /// <summary>Buckets up to 2^40 µs (12 days): anything longer lands in the last one.</summary>
    private const int Buckets = 40 * PerDoubling;

    private long[]? _latency;
    private long[]? _ttft;

    public long Requests { get; private set; }

    public long Errors { get; private set; }

    public long Input { get; private set; }

    public long Output { get; private set; }

    public long Cached { get; private set; }

    public long Reasoning { get; private set; }

    public long CostNanoUsd { get; private set; }

    public long Unpriced { get; private set; }

    public long CacheLookups { get; private set; }

    public long CacheHits { get; private set; }

    public long SemanticHits { get; private set; }

    public long SavedNanoUsd { get; private set; }

    public void Add(int status, long input, long output, long cached, long reasoning, long? costNanoUsd, long latencyUs, long? ttftUs, string? cache, long? savedNanoUsd)
    {
        Requests++;
        Errors += status >= 400 ? 1 : 0;
        Input += input;
        Output += output;
        Cached += cached;
        Reasoning += reasoning;
        if (costNanoUsd is { } cost)
        {
            CostNanoUsd += cost;
        }
        else
        {
            Unpriced++;
        }

        Count(ref _latency, latencyUs);
        if (ttftUs is { } ttft)
        {
            Count(ref _ttft, ttft);
        }

        // As in TraceAggregates: bypassed calls never looked, so they are not lookups.
        switch (cache)
        {
            case "hit":
                CacheLookups++;
                CacheHits++;
                break;
            case "semantic":
                CacheLookups++;
                SemanticHits++;
                break;
            case "miss":
                CacheLookups++;
                break;
        }

        SavedNanoUsd += savedNanoUsd ?? 0;
    }

    public void Merge(MinuteStats other)
    {
        Requests += other.Requests;
        Errors += other.Errors;
        Input += other.Input;
        Output += other.Output;
        Cached += other.Cached;
        Reasoning += other.Reasoning;
        CostNanoUsd += other.CostNanoUsd;
        Unpriced += other.Unpriced;
        CacheLookups += other.CacheLookups;
        CacheHits += other.CacheHits;
        SemanticHits += other.SemanticHits;
        SavedNanoUsd += other.SavedNanoUsd;
        Add(ref _latency, other._latency);
        Add(ref _ttft, other._ttft);
    }

    /// <summary>Adds a serialised minute without building it: the dashboard merges thousands of them per view.</summary>
    public void MergeSerialized(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Header || BinaryPrimitives.ReadInt32LittleEndian(bytes) != Version)
        {
            return;
        }

        long At(ReadOnlySpan<byte> b, int field) => BinaryPrimitives.ReadInt64LittleEndian(b[(4 + (field * 8))..]);
        Requests += At(bytes, 0);
        Errors += At(bytes, 1);
        Input += At(bytes, 2);
        Output += At(bytes, 3);
        Cached += At(bytes, 4);
        Reasoning += At(bytes, 5);
        CostNanoUsd += At(bytes, 6);
        Unpriced += At(bytes, 7);
        CacheLookups += At(bytes, 8);
        CacheHits += At(bytes, 9);
        SemanticHits += At(bytes, 10);
        SavedNanoUsd += At(bytes, 11);
        var offset = 4 + (12 * 8);
        ReadHistogram(bytes, ref offset, ref _latency);
        ReadHistogram(bytes, ref offset, ref _ttft);
    }

    private const int Header = 4 + (12 * 8) + 8;

    /// <summary>The same fields as <c>/api/metrics/summary</c>, percentiles read from the histograms.</summary>
    public void Write(Utf8JsonWriter json)
    {
        WriteCounts(json);
        WritePercentiles(json, "latency_ms", _latency);
        WritePercentiles(json, "ttft_ms", _ttft);
        WriteCache(json);
    }

    /// <summary>Requests, errors, tokens and cost, as <c>/api/metrics/summary</c> writes them.</summary>
    public void WriteCounts(Utf8JsonWriter json)
    {
        json.WriteNumber("requests", Requests);
        json.WriteNumber("errors", Errors);
        json.WriteNumber("error_rate", Requests == 0 ? 0 : Math.Round((double)Errors / Requests, 4));
        json.WriteNumber("input_tokens", Input);
        json.WriteNumber("output_tokens", Output);
        json.WriteNumber("cached_input_tokens", Cached);
        json.WriteNumber("reasoning_tokens", Reasoning);
        json.WriteString("cost_usd", (CostNanoUsd / 1_000_000_000m).ToString(CultureInfo.InvariantCulture));
        json.WriteNumber("unpriced_requests", Unpriced);
    }

    /// <summary>The <c>cache</c> object: lookups, hits of each kind, hit rate, USD saved.</summary>
    public void WriteCache(Utf8JsonWriter json)
    {
        json.WriteStartObject("cache");
        json.WriteNumber("lookups", CacheLookups);
        json.WriteNumber("hits", CacheHits);
        json.WriteNumber("semantic_hits", SemanticHits);
        json.WriteNumber("hit_rate", CacheLookups == 0 ? 0 : Math.Round((double)(CacheHits + SemanticHits) / CacheLookups, 4));
        json.WriteString("saved_usd", (SavedNanoUsd / 1_000_000_000m).ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }

    public byte[] Serialize()
    {
        var size = Header + ((NonZero(_latency) + NonZero(_ttft)) * 12);
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, Version);
        var offset = 4;
        foreach (var value in (ReadOnlySpan<long>)[Requests, Errors, Input, Output, Cached, Reasoning, CostNanoUsd, Unpriced, CacheLookups, CacheHits, SemanticHits, SavedNanoUsd])
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[offset..], value);
            offset += 8;
        }

        foreach (var histogram in (long[]?[])[_latency, _ttft])
        {
            BinaryPrimitives.WriteInt32LittleEndian(span[offset..], NonZero(histogram));
            offset += 4;
            for (var bucket = 0; histogram is not null && bucket < histogram.Length; bucket++)
            {
                if (histogram[bucket] != 0)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(span[offset..], bucket);
                    BinaryPrimitives.WriteInt64LittleEndian(span[(offset + 4)..], histogram[bucket]);
                    offset += 12;
                }
            }
        }

        return bytes;
    }

    public static MinuteStats Deserialize(ReadOnlySpan<byte> bytes)
    {
        var stats = new MinuteStats();
        stats.MergeSerialized(bytes);
        return stats;
    }

    /// <summary>The bucket of a duration in microseconds: 16 per doubling.</summary>
    internal static int Bucket(long us) => us <= 1 ? 0 : Math.Min(Buckets - 1, (int)Math.Floor(Math.Log2(us) * PerDoubling));

    /// <summary>A bucket's representative value: its geometric middle, in microseconds.</summary>
    internal static double Middle(int bucket) => bucket == 0 ? 1 : Math.Pow(2, (bucket + 0.5) / PerDoubling);

    /// <summary>Nearest rank over the histogram, as TraceAggregates does over the exact values.</summary>
    internal static double? Percentile(long[]? histogram, double p)
    {
        var total = histogram?.Sum() ?? 0;
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(p * total));
        long seen = 0;
        for (var bucket = 0; bucket < histogram!.Length; bucket++)
        {
            seen += histogram[bucket];
            if (seen >= rank)
            {
                return Middle(bucket);
            }
        }

        return Middle(histogram.Length - 1);
    }

    private static int NonZero(long[]? histogram) => histogram?.Count(n => n != 0) ?? 0;

    private static void Count(ref long[]? histogram, long us) => (histogram ??= new long[Buckets])[Bucket(us)]++;

    private static void Add(ref long[]? histogram, long[]? other)
    {
        if (other is null)
        {
            return;
        }

        histogram ??= new long[Buckets];
        for (var i = 0; i < other.Length; i++)
        {
            histogram[i] += other[i];
        }
    }

    private static void ReadHistogram(ReadOnlySpan<byte> bytes, ref int offset, ref long[]? histogram)
    {
        if (offset + 4 > bytes.Length)
        {
            return;
        }

        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
        offset += 4;
        for (var i = 0; i < count && offset + 12 <= bytes.Length; i++)
        {
            var bucket = BinaryPrimitives.ReadInt32LittleEndian(bytes[offset..]);
            if ((uint)bucket < Buckets)
            {
                (histogram ??= new long[Buckets])[bucket] += BinaryPrimitives.ReadInt64LittleEndian(bytes[(offset + 4)..]);
            }

            offset += 12;
        }
    }

    private static void WritePercentiles(Utf8JsonWriter json, string name, long[]? histogram)
    {
        json.WriteStartObject(name);
        if (histogram is not null && histogram.Any(n => n != 0))
        {
            foreach (var (label, p) in (ReadOnlySpan<(string, double)>)[("p50", 0.50), ("p95", 0.95), ("p99", 0.99)])
            {
                json.WriteNumber(label, Math.Round(Percentile(histogram, p)!.Value / 1000.0, 3));
            }
        }

        json.WriteEndObject();
    }
}
