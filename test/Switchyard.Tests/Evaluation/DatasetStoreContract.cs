using Switchyard.Evaluation.Datasets;
using Xunit;

namespace Switchyard.Tests.Evaluation;

/// <summary>
/// What every <see cref="IDatasetStore"/> must do: number versions from 1 without gaps, also under concurrent
/// writers; keep every field; never change a stored version (appending makes a new one); page items in
/// order. Each implementation derives from this class.
/// </summary>
public abstract class DatasetStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IDatasetStore CreateStore();

    /// <summary>Another instance over the same data, as a second gateway would see it.</summary>
    internal abstract IDatasetStore OpenAnother();

    private static DatasetItem Item(string id, string question) => new() { Id = id, InputJson = $$"""{"messages":[{"role":"user","content":"{{question}}"}]}""" };

    [Fact]
    public async Task Every_field_comes_back_in_order()
    {
        var store = CreateStore();
        var full = new DatasetItem
        {
            Id = "refund-1",
            InputJson = """{"variables":{"ticket":"Where is my refund?"}}""",
            ExpectedJson = "\"Refunds take 5 days.\"",
            ContextJson = """["Refunds are paid within 5 working days."]""",
            MetadataJson = """{"source":"support"}""",
            Tags = ["refunds", "golden"],
            SourceTraceId = "0123456789abcdef0123456789abcdef",
        };

        var version = await store.AddVersionAsync("support", [full, Item("b", "two")], append: false, "admin", "first", T0, Ct);

        Assert.Equal(new DatasetVersion("support", 1, 2, T0, "admin", "first"), version);
        var items = await OpenAnother().ItemsAsync("support", 1, 0, 10, Ct);
        Assert.Equal(full with { Tags = [] }, items[0] with { Tags = [] });
        Assert.Equal(["refunds", "golden"], items[0].Tags);
        Assert.Equal("b", items[1].Id);
        Assert.Null(items[1].ExpectedJson);
        Assert.Equal(version, await store.GetVersionAsync("support", null, Ct));
        Assert.Null(await store.GetVersionAsync("support", 2, Ct));
        Assert.Null(await store.GetVersionAsync("nope", null, Ct));
    }

    [Fact]
    public async Task Appending_makes_a_new_version_and_leaves_the_old_one_as_it_was()
    {
        var store = CreateStore();
        await store.AddVersionAsync("qa", [Item("a", "one"), Item("b", "two")], append: false, "admin", null, T0, Ct);

        var grown = await store.AddVersionAsync("qa", [Item("b", "two again"), Item("c", "three")], append: true, "key_1", "from production", T0.AddHours(1), Ct);
        var replaced = await store.AddVersionAsync("qa", [Item("z", "only")], append: false, "admin", null, T0.AddHours(2), Ct);

        Assert.Equal((2, 3), (grown.Version, grown.ItemCount));
        Assert.Equal(["a", "b"], (await store.ItemsAsync("qa", 1, 0, 100, Ct)).Select(i => i.Id));
        Assert.Equal(["a", "b", "c"], (await store.ItemsAsync("qa", 2, 0, 100, Ct)).Select(i => i.Id));
        Assert.Contains("\"two\"", (await store.ItemsAsync("qa", 2, 1, 1, Ct)).Single().InputJson, StringComparison.Ordinal); // an id already in the version is kept as it was
        Assert.Equal((3, 1), (replaced.Version, replaced.ItemCount));
        Assert.Equal(["c"], (await store.ItemsAsync("qa", 2, 2, 5, Ct)).Select(i => i.Id));
        Assert.Equal([("qa", 3)], (await OpenAnother().ListAsync(Ct)).Select(v => (v.Name, v.Version)));
    }

    [Fact]
    public async Task Concurrent_writers_get_distinct_gapless_versions()
    {
        var store = CreateStore();
        var other = OpenAnother();

        var versions = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? store : other).AddVersionAsync("shared", [Item($"i{i}", "x")], append: true, "admin", null, T0, Ct)));

        Assert.Equal(Enumerable.Range(1, 10), versions.Select(v => v.Version).Order());
        Assert.Equal(10, (await store.GetVersionAsync("shared", null, Ct))!.ItemCount);
    }
}
