using Switchyard.Prompts.Traffic;
using Xunit;

namespace Switchyard.Tests.Prompts.Traffic;

/// <summary>
/// What every <see cref="IPromptTrafficStore"/> must do: keep a split whole, let one run per prompt label,
/// and make every change a compare-and-set on the revision, also between two instances. Each
/// implementation derives from this class.
/// </summary>
public abstract class PromptTrafficStoreContract
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A store over fresh, empty data.</summary>
    internal abstract IPromptTrafficStore CreateStore();

    /// <summary>Another instance over the same data, as a second gateway would see it.</summary>
    internal abstract IPromptTrafficStore OpenAnother();

    private static TrafficSplit Rollout(string id, string label = "production") => new()
    {
        Id = id,
        Kind = SplitKind.Rollout,
        Prompt = "greet",
        Label = label,
        FromVersion = 1,
        ToVersion = 2,
        Steps = [5, 50, 100],
        StepStartedAt = T0,
        Interval = TimeSpan.FromMinutes(30),
        MinSample = 20,
        Gates = new Switchyard.Prompts.Rollouts.RolloutGates { MaxErrorRate = 0.01 },
        CreatedAt = T0,
        CreatedBy = "admin",
    };

    [Fact]
    public async Task A_split_comes_back_whole_and_only_one_runs_per_label()
    {
        var store = CreateStore();
        var experiment = new TrafficSplit
        {
            Id = "exp_1",
            Kind = SplitKind.Experiment,
            Prompt = "greet",
            Label = "staging",
            Variants = [new TrafficVariant("a", 1, 50), new TrafficVariant("b", 2, 50) { ModelGroup = "cheap", ParametersJson = """{"temperature":0}""" }],
            Unit = "session",
            CreatedAt = T0,
            CreatedBy = "key_1",
        };

        Assert.True(await store.CreateAsync(Rollout("rol_1"), Ct));
        Assert.True(await store.CreateAsync(experiment, Ct));
        Assert.False(await OpenAnother().CreateAsync(Rollout("rol_2"), Ct)); // one already runs on production

        var read = await OpenAnother().GetAsync("exp_1", Ct);
        Assert.NotNull(read);
        Assert.Equal(1, read.Revision);
        Assert.Equal(experiment.Variants, read.Variants);
        Assert.Equal("session", read.Unit);
        var rollout = (await store.GetAsync("rol_1", Ct))!;
        Assert.Equal([5, 50, 100], rollout.Steps);
        Assert.Equal(0.01, rollout.Gates.MaxErrorRate);
        Assert.Equal(TimeSpan.FromMinutes(30), rollout.Interval);
        Assert.Equal(["exp_1", "rol_1"], (await store.RunningAsync(Ct)).Select(s => s.Id).Order());
        Assert.Null(await store.GetAsync("nope", Ct));
    }

    [Fact]
    public async Task Changes_are_compare_and_set_and_an_ended_split_frees_its_label()
    {
        var store = CreateStore();
        await store.CreateAsync(Rollout("rol_1"), Ct);
        var current = (await store.GetAsync("rol_1", Ct))!;

        var advanced = await store.UpdateAsync(current with { StepIndex = 1 }, current.Revision, Ct);
        var stale = await OpenAnother().UpdateAsync(current with { Status = "failed" }, current.Revision, Ct);

        Assert.NotNull(advanced);
        Assert.Equal(2, advanced.Revision);
        Assert.Null(stale);
        Assert.Equal(1, (await store.GetAsync("rol_1", Ct))!.StepIndex);

        Assert.NotNull(await store.UpdateAsync(advanced with { Status = "succeeded", EndedAt = T0.AddHours(1) }, advanced.Revision, Ct));
        Assert.Empty(await store.RunningAsync(Ct));
        Assert.True(await store.CreateAsync(Rollout("rol_2"), Ct));
        Assert.Equal(["rol_2", "rol_1"], (await store.ListAsync("greet", Ct)).Select(s => s.Id));
        Assert.Empty(await store.ListAsync("other", Ct));
    }
}
