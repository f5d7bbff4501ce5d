using Switchyard.Prompts;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>
/// What every <see cref="IPromptStore"/> must do: number versions from 1 without gaps or duplicates, also
/// under concurrent pushes; make one version of content pushed twice; keep every field; move labels
/// atomically, with compare-and-set, and audit every move. Each implementation derives from this class.
/// </summary>
public abstract class PromptStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IPromptStore CreateStore();

    /// <summary>Another instance over the same data, as a second gateway would see it.</summary>
    internal abstract IPromptStore OpenAnother();

    private static PromptDraft Draft(string template, string name = "support", string? message = null) => new()
    {
        Name = name,
        Kind = PromptKind.Text,
        Template = template,
        Message = message,
        Author = "admin",
    };

    [Fact]
    public async Task Versions_are_numbered_from_one_and_content_pushed_twice_is_one_version()
    {
        var store = CreateStore();

        var (first, created1) = await store.AddVersionAsync(Draft("Hello {{name}}", message: "first"), T0, Ct);
        var (again, created2) = await store.AddVersionAsync(Draft("Hello {{name}}", message: "only the message differs"), T0.AddMinutes(1), Ct);
        var (second, created3) = await store.AddVersionAsync(Draft("Hi {{name}}"), T0.AddMinutes(2), Ct);
        var (other, _) = await store.AddVersionAsync(Draft("x", name: "other"), T0, Ct);

        Assert.Equal((1, true), (first.Version, created1));
        Assert.Equal((1, false), (again.Version, created2));
        Assert.Equal("first", again.Content.Message);
        Assert.Equal((2, true), (second.Version, created3));
        Assert.Equal(1, other.Version);
        Assert.Equal([2, 1], (await OpenAnother().ListVersionsAsync("support", Ct)).Select(v => v.Version));
        Assert.Empty(await store.ListVersionsAsync("nope", Ct));
    }

    [Fact]
    public async Task A_summary_reads_one_prompts_newest_version_and_labels_together()
    {
        var store = CreateStore();
        Assert.Null(await store.SummaryAsync("support", Ct));

        await store.AddVersionAsync(Draft("one"), T0, Ct);
        await store.AddVersionAsync(Draft("two"), T0.AddMinutes(1), Ct);
        await store.MoveLabelAsync("support", "production", 1, "admin", null, null, T0.AddMinutes(2), Ct);
        await store.AddVersionAsync(Draft("x", name: "other"), T0.AddMinutes(3), Ct);

        var summary = await OpenAnother().SummaryAsync("support", Ct);
        Assert.NotNull(summary);
        Assert.Equal(2, summary.LatestVersion);
        Assert.Equal(new Dictionary<string, int> { ["production"] = 1 }, summary.Labels);
        Assert.Equal(T0.AddMinutes(2), summary.UpdatedAt);
    }

    [Fact]
    public async Task Every_field_of_a_version_comes_back()
    {
        var store = CreateStore();
        var draft = new PromptDraft
        {
            Name = "triage",
            Kind = PromptKind.Chat,
            Template = """[{"role":"system","content":"You sort {{kind}} tickets."},{"role":"user","content":"{{ticket}}"}]""",
            Variables = [new PromptVariable("kind", "string", "support"), new PromptVariable("ticket"), new PromptVariable("limit", "number", "3")],
            ModelGroup = "gpt-4o",
            PinnedModel = "gpt-4o-2024-08-06",
            ParametersJson = """{"temperature":0.2,"max_tokens":300}""",
            ToolsJson = """[{"type":"function","function":{"name":"route","parameters":{"type":"object"}}}]""",
            ResponseFormatJson = """{"type":"json_object"}""",
            Message = "tighter wording ü",
            Author = "key_abc",
        };
        await store.AddVersionAsync(draft, T0, Ct);

        var loaded = await OpenAnother().GetVersionAsync("triage", 1, Ct);

        Assert.NotNull(loaded);
        Assert.Equal(draft.Kind, loaded.Content.Kind);
        Assert.Equal(draft.Template, loaded.Content.Template);
        Assert.Equal(draft.Variables, loaded.Content.Variables);
        Assert.Equal((draft.ModelGroup, draft.PinnedModel, draft.ParametersJson, draft.ToolsJson, draft.ResponseFormatJson, draft.Message, draft.Author),
            (loaded.Content.ModelGroup, loaded.Content.PinnedModel, loaded.Content.ParametersJson, loaded.Content.ToolsJson, loaded.Content.ResponseFormatJson, loaded.Content.Message, loaded.Content.Author));
        Assert.Equal(T0, loaded.CreatedAt);
        Assert.Equal(draft.ContentHash(), loaded.ContentHash);
        Assert.Null(await store.GetVersionAsync("triage", 2, Ct));
    }

    [Fact]
    public async Task Labels_move_atomically_with_compare_and_set_and_every_move_is_audited()
    {
        var store = CreateStore();
        await store.AddVersionAsync(Draft("a"), T0, Ct);
        await store.AddVersionAsync(Draft("b"), T0, Ct);

        Assert.Equal(LabelMoveOutcome.Moved, await store.MoveLabelAsync("support", "production", 1, "admin", "first release", expectedFrom: 0, T0, Ct));
        Assert.Equal(LabelMoveOutcome.Unchanged, await store.MoveLabelAsync("support", "production", 1, "admin", null, null, T0, Ct));
        Assert.Equal(LabelMoveOutcome.NoSuchVersion, await store.MoveLabelAsync("support", "production", 3, "admin", null, null, T0, Ct));
        Assert.Equal(LabelMoveOutcome.Conflict, await store.MoveLabelAsync("support", "production", 2, "canary", null, expectedFrom: 2, T0, Ct));
        Assert.Equal(LabelMoveOutcome.Moved, await OpenAnother().MoveLabelAsync("support", "production", 2, "key_1", "v2 wins", expectedFrom: 1, T0.AddHours(1), Ct));

        Assert.Equal(new Dictionary<string, int> { ["production"] = 2 }, await store.LabelsAsync("support", Ct));
        var history = await store.LabelHistoryAsync("support", Ct);
        Assert.Equal(
            [new PromptLabelMove("support", "production", 1, 2, "key_1", T0.AddHours(1), "v2 wins"), new PromptLabelMove("support", "production", null, 1, "admin", T0, "first release")],
            history);
        var summary = Assert.Single(await store.ListPromptsAsync(Ct));
        Assert.Equal(("support", 2, 2), (summary.Name, summary.LatestVersion, summary.Labels["production"]));
        Assert.Equal(T0.AddHours(1), summary.UpdatedAt);
    }

    [Fact]
    public async Task Concurrent_pushes_from_two_instances_get_distinct_versions()
    {
        var a = CreateStore();
        var b = OpenAnother();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? a : b).AddVersionAsync(Draft($"template {i}"), T0, Ct)));

        Assert.Equal(Enumerable.Range(1, 20), results.Select(r => r.Version.Version).Order());
        Assert.All(results, r => Assert.True(r.Created));
    }

    [Fact]
    public async Task Concurrent_compare_and_set_moves_let_exactly_one_win()
    {
        var a = CreateStore();
        var b = OpenAnother();
        for (var i = 0; i < 3; i++)
        {
            await a.AddVersionAsync(Draft($"v{i}"), T0, Ct);
        }

        await a.MoveLabelAsync("support", "production", 1, "admin", null, null, T0, Ct);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).MoveLabelAsync("support", "production", 2 + (i % 2), $"actor{i}", null, expectedFrom: 1, T0, Ct)));

        Assert.Equal(1, outcomes.Count(o => o == LabelMoveOutcome.Moved));
        Assert.Equal(9, outcomes.Count(o => o == LabelMoveOutcome.Conflict));
        Assert.Equal(2, (await a.LabelHistoryAsync("support", Ct)).Count);
    }
}
