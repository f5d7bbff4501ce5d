using System.Diagnostics;

namespace Switchyard.Gateway;

/// <summary>
/// W3C trace context of one call: the caller's trace id when it sent <c>traceparent</c>, a new one
/// otherwise, and the gateway's own span id.
/// </summary>
internal readonly record struct TraceIds(ActivityTraceId TraceId, ActivitySpanId SpanId, ActivitySpanId ParentSpanId, bool Sampled)
{
    // Computed once: the ids are written to response headers, the upstream traceparent and the record.
    public string TraceIdHex { get; } = TraceId.ToHexString();

    public string SpanIdHex { get; } = SpanId.ToHexString();

    /// <summary>
    /// The same call under the ids of the span that an <see cref="Activity"/> minted for it. .NET
    /// generates an activity's span id itself, so when one is exported the gateway adopts its ids
    /// rather than the other way round; the caller's parent span and sampling flag stay as received.
    /// </summary>
    public TraceIds WithSpan(ActivityTraceId traceId, ActivitySpanId spanId) => new(traceId, spanId, ParentSpanId, Sampled);

    /// <summary>The <c>traceparent</c> to send upstream: this call's span as the parent.</summary>
    public string ToTraceParent() => $"00-{TraceIdHex}-{SpanIdHex}-{(Sampled ? "01" : "00")}";

    public static TraceIds FromHeader(string? traceparent, TimeProvider time)
    {
        var spanId = ActivitySpanId.CreateRandom();
        if (traceparent is not null && TryParse(traceparent, out var traceId, out var parent, out var sampled))
        {
            return new TraceIds(traceId, spanId, parent, sampled);
        }

        return new TraceIds(NewTraceId(time), spanId, default, true);
    }

    /// <summary>
    /// A new trace id that sorts by time: 48 bits of Unix milliseconds, then 80 random bits (as in
    /// UUIDv7). The trace-id index then grows at its right edge instead of taking a random insert per
    /// call, which halved the cost of recording a call (docs/benchmarks.md). W3C trace context asks for
    /// randomness in the right-most 7 bytes; these have 10.
    /// </summary>
    public static ActivityTraceId NewTraceId(TimeProvider time)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = time.GetUtcNow().ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }

        TraceIdRandom.Fill(bytes[6..]);
        return ActivityTraceId.CreateFromBytes(bytes);
    }

    // Spec: https://www.w3.org/TR/trace-context/#traceparent-header — version "00", 32 hex trace id,
    // 16 hex parent id, 2 hex flags; all-zero ids are invalid.
    private static bool TryParse(string value, out ActivityTraceId traceId, out ActivitySpanId parent, out bool sampled)
    {
        traceId = default;
        parent = default;
        sampled = true;
        var s = value.AsSpan().Trim();
        if (s.Length < 55 || s[2] != '-' || s[35] != '-' || s[52] != '-' || !IsLowerHex(s[..2]) || s[..2].SequenceEqual("ff"))
        {
            return false;
        }

        var t = s.Slice(3, 32);
        var p = s.Slice(36, 16);
        var f = s.Slice(53, 2);
        if (!IsLowerHex(t) || !IsLowerHex(p) || !IsLowerHex(f) || IsAllZero(t) || IsAllZero(p))
        {
            return false;
        }

        traceId = ActivityTraceId.CreateFromString(t);
        parent = ActivitySpanId.CreateFromString(p);
        sampled = (Convert.ToByte(f.ToString(), 16) & 1) == 1;
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAllZero(ReadOnlySpan<char> s) => !s.ContainsAnyExcept('0');
}
