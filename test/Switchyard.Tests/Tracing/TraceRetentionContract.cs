using System.Text.Json;
using Switchyard.Identity;
using Switchyard.Recording;
using Switchyard.Telemetry;
using Switchyard.Tracing;
using Xunit;
using static Switchyard.Tests.Tracing.TraceSeed;

namespace Switchyard.Tests.Tracing;

/// <summary>
/// What every <see cref="ITraceRetention"/> must do: delete the calls, spans, scores and rollups from
/// before the cut, and nothing after it. The data is written and read back through the other store
/// interfaces, so another store runs this unchanged.
/// </summary>
public abstract class TraceRetentionContract
{
    private static readonly DateTimeOffset Cut = T0.AddDays(-30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Retention over fresh, empty data.</summary>
    internal abstract ITraceRetention CreateRetention();

    /// <summary>The call store over the data of the last <see cref="CreateRetention"/>.</summary>
    internal abstract ICallRecordStore Calls();

    /// <summary>The span store over the data of the last <see cref="CreateRetention"/>.</summary>
    internal abstract ISpanStore Spans();

    /// <summary>The score store over the data of the last <see cref="CreateRetention"/>.</summary>
    internal abstract IScoreStore Scores();

    /// <summary>The trace reader over the data of the last <see cref="CreateRetention"/>.</summary>
    internal abstract ITraceReader Reader();

    /// <summary>The rollups over the data of the last <see cref="CreateRetention"/>.</summary>
    internal abstract IRollupStore Rollups();

    private async Task<bool> FoundAsync(string traceId)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using var json = new Utf8JsonWriter(buffer);
        return await Reader().GetAsync(traceId, json, Reach.Everything, Ct);
    }

    [Fact]
    public async Task Only_what_is_older_than_the_cut_is_deleted()
    {
        var retention = CreateRetention();
        var old = T0.AddDays(-40) - T0;
        await WriteAsync(Calls(), Ct,
            Prepared(Call(1, old, tags: ["blue"]), "old request", "old answer"),
            Prepared(Call(2, Cut - T0 + TimeSpan.FromMinutes(1), tags: ["blue"])),
            Prepared(Call(3, TimeSpan.Zero)));
        await Spans().WriteAsync([Span(TraceId(4), "aaaaaaaaaaaaaaaa", null, T0.AddDays(-40), null), Span(TraceId(5), "bbbbbbbbbbbbbbbb", null, T0, null)], Ct);
        await FeedbackAsync(Scores(), TraceId(6), 1, T0.AddDays(-40), Ct);
        await FeedbackAsync(Scores(), TraceId(3), 1, T0, Ct);

        Assert.True(await retention.DeleteBeforeAsync(Cut, Ct) > 0);

        Assert.False(await FoundAsync(TraceId(1)));
        Assert.False(await FoundAsync(TraceId(4)));
        Assert.False(await FoundAsync(TraceId(6)));
        Assert.True(await FoundAsync(TraceId(2)));
        Assert.True(await FoundAsync(TraceId(3)));
        Assert.True(await FoundAsync(TraceId(5)));
        Assert.Equal([TraceId(2)], await ListIdsAsync(new TraceFilter { Tag = "blue" }));
        Assert.Empty(await Rollups().ReadMinutesAsync(Us(T0.AddDays(-41)), Us(Cut), null, Ct));
        Assert.Empty(await Rollups().ReadHoursAsync(Us(T0.AddDays(-41)), Us(Cut.AddHours(-1)), null, null, null, Ct));
        Assert.NotEmpty(await Rollups().ReadMinutesAsync(Us(Cut), Us(T0.AddHours(1)), null, Ct));

        var feedback = await Reader().FeedbackOnAsync([TraceId(3), TraceId(6)], Reach.Everything, Ct);
        Assert.Equal([TraceId(3)], feedback.Keys);

        // A second pass finds nothing left to delete.
        Assert.Equal(0, await retention.DeleteBeforeAsync(Cut, Ct));
    }

    [Fact]
    public async Task More_rows_than_one_chunk_are_all_deleted()
    {
        var retention = CreateRetention();
        var old = T0.AddDays(-40) - T0;
        await WriteAsync(Calls(), Ct, [.. Enumerable.Range(1, 5_100).Select(n => Prepared(Call(n, old + TimeSpan.FromMilliseconds(n), tags: ["blue"])))]);

        Assert.True(await retention.DeleteBeforeAsync(Cut, Ct) >= 5_100);

        Assert.Empty(await ListIdsAsync(new TraceFilter()));
        Assert.Empty(await ListIdsAsync(new TraceFilter { Tag = "blue" }));
    }

    private async Task<List<string>> ListIdsAsync(TraceFilter filter)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            await Reader().ListAsync(filter, json, null, includeContent: false, Ct);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return [.. document.RootElement.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("trace_id").GetString()!)];
    }
}
