using System.Text;
using Switchyard.Accounting;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Recording;
using Switchyard.Telemetry;
using Switchyard.Telemetry.Otlp;
using Switchyard.Tracing;

namespace Switchyard.Tests.Tracing;

/// <summary>Calls, spans and scores for the trace contract suites, written only through the write-side store interfaces.</summary>
internal static class TraceSeed
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static long Us(DateTimeOffset time) => time.ToUnixTimeMilliseconds() * 1000;

    /// <summary>A 32-hex-digit trace id ending in <paramref name="n"/>.</summary>
    public static string TraceId(int n) => n.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static CallRecord Call(int n, TimeSpan at, string model = "gpt", string key = "k1", string team = "t1", int status = 200, long? cost = 1000, int latencyMs = 200, IReadOnlyList<string>? tags = null) =>
        new(TraceId(n), $"{n:x16}", null, T0 + at, ClientApi.ChatCompletions, model, model + "-east", "openai", "gpt-4o", null, status, status >= 400 ? "upstream_error" : null, null, false,
            new TokenUsage(10, 5), true, "stop", TimeSpan.FromMilliseconds(latencyMs), null, key, "u1", [new Attempt(model + "-east", status, TimeSpan.FromMilliseconds(latencyMs - 10), null)])
        { Team = team, Tags = tags, CostNanoUsd = cost };

    public static PreparedCall Prepared(CallRecord record, string? request = null, string? response = null) =>
        new(record, request is null ? StoredContent.None : new StoredContent(Encoding.UTF8.GetBytes(request), null), StoredContent.Of(response));

    public static async Task WriteAsync(ICallRecordStore store, CancellationToken cancellationToken, params PreparedCall[] batch)
    {
        await using var session = await store.OpenSessionAsync(cancellationToken);
        await session.WriteAsync(batch, cancellationToken);
    }

    public static PreparedSpan Span(string trace, string span, string? parent, DateTimeOffset start, string? team) => new(
        new IngestedSpan
        {
            TraceId = trace,
            SpanId = span,
            ParentSpanId = parent,
            Name = "retrieve",
            StartUnixNano = Us(start) * 1000,
            EndUnixNano = (Us(start) + 50_000) * 1000,
            Attributes = new Dictionary<string, object?>(),
            ResourceAttributes = new Dictionary<string, object?>(),
            Events = [],
            Links = [],
            WriterTeam = team,
        },
        null,
        "{}",
        null);

    public static Task<long> FeedbackAsync(IScoreStore scores, string trace, double value, DateTimeOffset at, CancellationToken cancellationToken, string? team = null) =>
        scores.AddAsync(new NewScore(trace, null, "feedback", "numeric", value, null, "feedback", null, null), new TraceWriter("k1", team is null ? Reach.Everything : new Reach(team, null)), at, cancellationToken);
}
