using Switchyard.Identity;
using Switchyard.Tracing;
using Xunit;

namespace Switchyard.Tests.Tracing;

/// <summary>
/// What every <see cref="IScoreStore"/> must do: keep every field of a score with its writer and time,
/// and give each score its own id also when several writers add at once. Each implementation runs it
/// by deriving from this class and saying how to read back.
/// </summary>
public abstract class ScoreStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly string Trace = new('a', 32);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IScoreStore CreateStore();

    /// <summary>Another store instance over the data of the last <see cref="CreateStore"/>.</summary>
    internal abstract IScoreStore OpenAnother();

    /// <summary>Every stored score, by id.</summary>
    internal abstract Task<IReadOnlyList<(long Id, NewScore Score, string KeyId, string? Team, DateTimeOffset CreatedAt)>> ReadBackAsync();

    private static TraceWriter Writer(string key = "k1") => new(key, Reach.Everything);

    [Fact]
    public async Task Every_field_of_a_score_comes_back_with_its_writer_and_time()
    {
        var store = CreateStore();
        var numeric = new NewScore(Trace, new string('b', 16), "accuracy", "numeric", 0.75, null, "eval", "close enough", "ana");
        var categorical = new NewScore(Trace, null, "tone", "categorical", null, "friendly", "api", null, null);
        var first = await store.AddAsync(numeric, Writer(), T0, Ct);
        var second = await store.AddAsync(categorical, Writer("k2"), T0.AddSeconds(1), Ct);
        Assert.NotEqual(first, second);

        var scores = await ReadBackAsync();
        Assert.Equal(2, scores.Count);
        var a = Assert.Single(scores, s => s.Id == first);
        Assert.Equal(numeric, a.Score);
        Assert.Equal(("k1", T0), (a.KeyId, a.CreatedAt));
        var b = Assert.Single(scores, s => s.Id == second);
        Assert.Equal(categorical, b.Score);
        Assert.Equal(("k2", T0.AddSeconds(1)), (b.KeyId, b.CreatedAt));
    }

    [Fact]
    public async Task Two_writers_at_once_give_every_score_its_own_id()
    {
        CreateStore();
        var ids = await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(async () =>
        {
            var store = OpenAnother();
            var mine = new List<long>();
            for (var i = 0; i < 25; i++)
            {
                mine.Add(await store.AddAsync(new NewScore(Trace, null, "feedback", "numeric", w, null, "feedback", null, null), Writer($"k{w}"), T0, Ct));
            }

            return mine;
        }, Ct)));

        var all = ids.SelectMany(i => i).ToList();
        Assert.Equal(50, all.Distinct().Count());
        Assert.Equal(all.Order(), (await ReadBackAsync()).Select(s => s.Id).Order());
    }
}
