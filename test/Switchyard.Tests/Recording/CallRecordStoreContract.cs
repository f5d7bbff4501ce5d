using System.Text;
using Switchyard.Accounting;
using Switchyard.Gateway;
using Switchyard.Recording;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Recording;

/// <summary>
/// What every <see cref="ICallRecordStore"/> must do: keep every call of a batch with its content and
/// tags, add the batch to the rollups with it, and give each call its own id also when several writers
/// write at once. Each implementation runs it by deriving from this class and saying how to read back.
/// </summary>
public abstract class CallRecordStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract ICallRecordStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>, as a second gateway would see it.</summary>
    internal abstract ICallRecordStore OpenAnother();

    /// <summary>The rollups over the data of the last <see cref="CreateStore"/>.</summary>
    internal abstract IRollupStore Rollups();

    /// <summary>Every stored call, oldest first, as the trace queries would see it.</summary>
    internal abstract Task<IReadOnlyList<StoredCallView>> ReadBackAsync();

    private static CallRecord Call(string trace, int status = 200, IReadOnlyList<string>? tags = null) =>
        new(trace, "span-" + trace, null, T0, ClientApi.ChatCompletions, "gpt", "gpt-east", "openai", "gpt-4o", "fp", status, status >= 400 ? "upstream_error" : null, null, false,
            new TokenUsage(10, 5), true, "stop", TimeSpan.FromMilliseconds(250), null, "k1", "u1", [new Attempt("gpt-east", status, TimeSpan.FromMilliseconds(240), null)])
        { Team = "t1", Tags = tags, CostNanoUsd = 1234 };

    private static PreparedCall Prepared(CallRecord record, string? request = null, string? response = null) =>
        new(record, request is null ? StoredContent.None : new StoredContent(Encoding.UTF8.GetBytes(request), null), StoredContent.Of(response));

    private static async Task WriteAsync(ICallRecordStore store, params PreparedCall[] batch)
    {
        await using var session = await store.OpenSessionAsync(Ct);
        await session.WriteAsync(batch, Ct);
    }

    [Fact]
    public async Task A_batch_keeps_every_call_with_its_content_tags_and_attempts()
    {
        var store = CreateStore();
        await WriteAsync(store, Prepared(Call("a", tags: ["blue", "prod"]), """{"messages":[]}""", "hello"), Prepared(Call("b", 502)));

        var calls = await ReadBackAsync();
        Assert.Equal(["a", "b"], calls.Select(c => c.TraceId));
        var a = calls[0];
        Assert.Equal((200, "gpt", "k1", "t1", 1234L), (a.Status, a.ModelGroup, a.KeyId, a.Team, a.CostNanoUsd));
        Assert.Equal("""{"messages":[]}""", a.RequestContent);
        Assert.Equal("hello", a.ResponseContent);
        Assert.Equal(["blue", "prod"], a.Tags);
        Assert.Contains("gpt-east", a.AttemptsJson, StringComparison.Ordinal);
        Assert.Equal((502, null, null), (calls[1].Status, calls[1].RequestContent, calls[1].ResponseContent));
        Assert.Empty(calls[1].Tags);
    }

    [Fact]
    public async Task A_batch_is_added_to_the_rollups_with_the_calls()
    {
        var store = CreateStore();
        await WriteAsync(store, Prepared(Call("a")), Prepared(Call("b", 500)));

        var t0 = T0.ToUnixTimeMilliseconds() * 1000;
        var stats = new MinuteStats();
        foreach (var row in await Rollups().ReadMinutesAsync(t0, t0 + MinuteRollups.MinuteUs, null, Ct))
        {
            stats.MergeSerialized(row.Stats);
        }

        Assert.Equal((2, 1, 2468), (stats.Requests, stats.Errors, stats.CostNanoUsd));
    }

    [Fact]
    public async Task Two_writers_at_once_keep_every_call_with_its_own_id_and_tags()
    {
        CreateStore();
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            await using var session = await OpenAnother().OpenSessionAsync(Ct);
            for (var i = 0; i < 20; i++)
            {
                await session.WriteAsync([Prepared(Call($"w{w}-{i}", tags: [$"w{w}-{i}"])), Prepared(Call($"w{w}-{i}-b"))], Ct);
            }
        }, Ct)));

        var calls = await ReadBackAsync();
        Assert.Equal(80, calls.Count);
        Assert.Equal(80, calls.Select(c => c.Id).Distinct().Count());
        Assert.All(calls.Where(c => !c.TraceId.EndsWith("-b", StringComparison.Ordinal)), c => Assert.Equal([c.TraceId], c.Tags));
    }
}
