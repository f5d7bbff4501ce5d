using System.Diagnostics.Metrics;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Guardrails;
using Xunit;

namespace Switchyard.Tests.Guardrails;

public sealed class GuardrailCatalogTests : IDisposable
{
    private readonly EmbeddingBatcher _embeddings = new(MiniLmEmbedder.Shared, TimeProvider.System);
    private readonly Meter _meter = new("guardrail-catalog-tests");

    public void Dispose()
    {
        _embeddings.Dispose();
        _meter.Dispose();
    }

    private GuardrailCatalog Catalog(params (string Name, GuardOptions Options)[] guards)
    {
        var options = new SwitchyardOptions();
        foreach (var (name, guard) in guards)
        {
            options.Guardrails.Guards[name] = guard;
        }

        return new GuardrailCatalog(options, _embeddings, new GuardrailMetrics(_meter));
    }

    private static GuardRun Run(string text, GuardrailReport? report = null) =>
        new([new GuardText(text, GuardContent.User, ["text"], IsNew: true)], GuardDirection.Input, report ?? new GuardrailReport(), call: null, default(JsonElement));

    [Theory]
    [InlineData("allow", false, "allow")]
    [InlineData("block", true, "block")]
    public async Task A_failing_guard_follows_on_error_and_is_recorded(string mode, bool blocks, string action)
    {
        var catalog = Catalog();
        var failing = new FailingGuard(new GuardOptions { Type = GuardType.Validation, Action = GuardAction.Block, OnError = Enum.Parse<GuardErrorMode>(mode, ignoreCase: true) });
        var run = Run("hello");

        var blocked = await catalog.RunAsync([failing], run, TestContext.Current.CancellationToken);

        Assert.Equal(blocks, blocked is not null);
        var verdict = Assert.Single(run.Report.Verdicts);
        Assert.Equal("error", verdict.Outcome);
        Assert.Equal(action, verdict.Action);
        Assert.Contains("backend down", verdict.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guards_run_in_order_and_stop_at_the_first_block()
    {
        var catalog = Catalog();
        var first = new FailingGuard(new GuardOptions { Type = GuardType.Validation, OnError = GuardErrorMode.Block });
        var second = new FailingGuard(new GuardOptions { Type = GuardType.Validation, OnError = GuardErrorMode.Allow });
        var run = Run("hello");

        await catalog.RunAsync([first, second], run, TestContext.Current.CancellationToken);

        Assert.Single(run.Report.Verdicts);
        Assert.Equal(0, second.Calls);
    }

    [Fact]
    public async Task A_guard_turned_off_does_not_run()
    {
        var catalog = Catalog();
        var guard = new FailingGuard(new GuardOptions { Type = GuardType.Validation, OnError = GuardErrorMode.Block });
        var run = Run("hello", new GuardrailReport { Off = [guard.Name] });

        var blocked = await catalog.RunAsync([guard], run, TestContext.Current.CancellationToken);

        Assert.Null(blocked);
        Assert.Equal(0, guard.Calls);
        Assert.Equal("failing:off", run.Report.Header());
    }

    [Theory]
    [InlineData("off=a", null)]
    [InlineData("off=a, b", null)]
    [InlineData("on=a", "expected off=NAME")]
    [InlineData("off=", "expected at least one guard name")]
    [InlineData("off=zzz", "'zzz' is not a guard")]
    public void The_opt_out_header_names_configured_guards(string value, string? problem)
    {
        var catalog = Catalog(("a", new GuardOptions { Type = GuardType.Validation, MaxTokens = 5 }), ("b", new GuardOptions { Type = GuardType.Validation, MaxTokens = 5 }));

        var error = OptOut.Parse(value, catalog, out var off);

        if (problem is null)
        {
            Assert.Null(error);
            Assert.Contains("a", off);
        }
        else
        {
            Assert.Contains(problem, error, StringComparison.Ordinal);
        }
    }

    private sealed class FailingGuard(GuardOptions options) : Guard("failing", options)
    {
        public int Calls { get; private set; }

        public override ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
        {
            Calls++;
            throw new HttpRequestException("backend down");
        }
    }
}
