using BenchmarkDotNet.Attributes;
using Switchyard.Accounting;
using Switchyard.Identity;
using Switchyard.Limits;

namespace Switchyard.Benchmarks;

/// <summary>
/// What admission adds per call: looking the key up, estimating tokens, and checking-and-reserving then
/// settling five levels (gateway, model group, team, user, key) with RPM, TPM, concurrency and a hard
/// budget. Baseline: the SHA-256 of the presented key, which every authenticated call pays anyway.
/// </summary>
public class AdmissionBenchmarks
{
    private const string Secret = "sy-0123456789abcdefghijklmnopqrstuvwxyzABCDEFG";
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private readonly InProcessLimitStore _store = new();
    private LimitCheck[] _checks = [];

    [GlobalSetup]
    public void Setup()
    {
        var big = new RateLimits(100_000_000, 100_000_000_000, 100_000);
        var budget = new Budget(1_000_000_000_000_000, BudgetWindowKind.Daily, BudgetMode.Hard, Budget.DefaultThresholds);
        var window = BudgetWindow.Containing(BudgetWindowKind.Daily, Now, TimeZoneInfo.Utc);
        _checks =
        [
            new LimitCheck("global", SubjectKind.Global, "global", big, null, default),
            new LimitCheck("model_group:m", SubjectKind.ModelGroup, "m", big, null, default),
            new LimitCheck("team:t", SubjectKind.Team, "t", big, budget, window),
            new LimitCheck("user:u", SubjectKind.User, "u", big, budget, window),
            new LimitCheck("key:k", SubjectKind.Key, "k", big, budget, window),
        ];
    }

    [Benchmark(Baseline = true, Description = "hash the presented key (SHA-256)")]
    public ulong Hash() => KeySecret.Hash(Secret).A;

    [Benchmark(Description = "estimate prompt tokens (tokenizer)")]
    public long Estimate() => PromptTokenEstimator.Estimate(Payloads.SmallRequest, "gpt-4o");

    [Benchmark(Description = "acquire + settle, 5 levels, limits + hard budgets")]
    public async ValueTask<bool> AcquireAndSettle()
    {
        var request = new LimitRequest { Checks = _checks, EstimatedTokens = 40, EstimatedCostNanoUsd = 50_000, Now = Now };
        var decision = await _store.AcquireAsync(request, CancellationToken.None);
        if (!decision.Admitted)
        {
            return false;
        }

        await _store.SettleAsync(decision.Ticket!, 30, 40_000, null, CancellationToken.None);
        return true;
    }
}
