using Switchyard.Telemetry;
using Switchyard.Telemetry.Otlp;
using Xunit;

namespace Switchyard.Tests.Telemetry;

/// <summary>
/// What every <see cref="ISpanStore"/> must do: keep every span of a batch with its cost, attributes
/// and events, also when several writers write at once. Each implementation runs it by deriving from
/// this class and saying how to read back.
/// </summary>
public abstract class SpanStoreContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract ISpanStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>.</summary>
    internal abstract ISpanStore OpenAnother();

    /// <summary>Every stored span (trace id, span id, parent, cost, attributes, events, writer team), in the order written.</summary>
    internal abstract Task<IReadOnlyList<(string TraceId, string SpanId, string? Parent, long? Cost, string Attributes, string? Events, string? Team)>> ReadBackAsync();

    private static PreparedSpan Span(string trace, string span, string? parent = null, long? cost = null, string? events = null) => new(
        new IngestedSpan
        {
            TraceId = trace,
            SpanId = span,
            ParentSpanId = parent,
            Name = "llm",
            StartUnixNano = 1_764_237_600_000_000_000,
            EndUnixNano = 1_764_237_601_000_000_000,
            Attributes = new Dictionary<string, object?>(),
            ResourceAttributes = new Dictionary<string, object?>(),
            Events = [],
            Links = [],
            WriterTeam = "t1",
        },
        cost,
        """{"gen_ai.request.model":"gpt-4o"}""",
        events);

    [Fact]
    public async Task A_batch_keeps_every_span_as_prepared()
    {
        var store = CreateStore();
        await store.WriteAsync([Span("t", "root", cost: 42), Span("t", "child", "root", events: """[{"name":"retry"}]""")], Ct);

        var spans = await ReadBackAsync();
        Assert.Equal(2, spans.Count);
        Assert.Equal(("t", "root", null, 42L, """{"gen_ai.request.model":"gpt-4o"}""", null, "t1"), spans[0]);
        Assert.Equal(("child", "root", """[{"name":"retry"}]"""), (spans[1].SpanId, spans[1].Parent, spans[1].Events));
        Assert.Null(spans[1].Cost);
    }

    [Fact]
    public async Task Two_writers_at_once_keep_every_span()
    {
        CreateStore();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var store = OpenAnother();
            for (var i = 0; i < 20; i++)
            {
                await store.WriteAsync([Span($"w{w}", $"s{i}"), Span($"w{w}", $"s{i}-child", $"s{i}")], Ct);
            }
        }, Ct)));

        var spans = await ReadBackAsync();
        Assert.Equal(80, spans.Count);
        Assert.Equal(80, spans.Select(s => (s.TraceId, s.SpanId)).Distinct().Count());
    }
}
