using System.Text.Json.Nodes;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard guard check|eval</c> through the real executable, with no gateway running.</summary>
public sealed class GuardCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-guard-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(null, null, new Dictionary<string, string?>(), Ct, args);

    [Fact]
    public async Task Check_prints_each_default_guards_verdict()
    {
        var table = await RunAsync("guard", "check", "Write to jane.doe@example.com");
        var json = await RunAsync("guard", "check", "Write to jane.doe@example.com", "--guard", "pii", "--format", "json");

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("injection", table.StdOut, StringComparison.Ordinal);
        Assert.Contains("EMAIL_ADDRESS 9-29", table.StdOut, StringComparison.Ordinal);
        var verdict = JsonNode.Parse(json.StdOut)!["verdicts"]!.AsArray().Single()!;
        Assert.Equal(("pii", "fired"), (verdict["guard"]!.GetValue<string>(), verdict["verdict"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Check_rewrites_with_a_configured_mask()
    {
        var config = Path.Combine(_dir, "switchyard.yaml");
        await File.WriteAllTextAsync(config, """
            guardrails:
              guards:
                pii: { type: pii, action: mask }
              input: [pii]
            model_groups:
              m:
                deployments:
                  - provider: sandbox
            """, Ct);

        var result = await RunAsync("guard", "check", "Write to jane.doe@example.com", "--config", config);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rewritten: Write to [EMAIL_ADDRESS]", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Eval_scores_a_labelled_set_and_writes_the_scorers_format()
    {
        var file = Path.Combine(_dir, "pii.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"text": "🙂 mail jane.doe@example.com now", "entities": [{"type": "EMAIL_ADDRESS", "start": 7, "end": 27}], "category": "a:x"}""",
            """{"text": "nothing here", "entities": [], "category": "b"}""",
        ], Ct);
        var predictions = Path.Combine(_dir, "out.jsonl");

        var result = await RunAsync("guard", "eval", "--guard", "pii", file, "--predictions", predictions, "--types", "EMAIL_ADDRESS", "--format", "json");

        Assert.Equal(0, result.ExitCode);
        var email = JsonNode.Parse(result.StdOut)!["exact"]!["EMAIL_ADDRESS"]!;
        Assert.Equal((1, 0, 0), (email["tp"]!.GetValue<int>(), email["fp"]!.GetValue<int>(), email["fn"]!.GetValue<int>()));
        var lines = await File.ReadAllLinesAsync(predictions, Ct);
        Assert.Equal(2, lines.Length);
        var entity = JsonNode.Parse(lines[0])!["entities"]![0]!;
        Assert.Equal((7, 27), (entity["start"]!.GetValue<int>(), entity["end"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Eval_refuses_a_malformed_file_and_an_unknown_guard()
    {
        var file = Path.Combine(_dir, "bad.jsonl");
        await File.WriteAllTextAsync(file, "{\"text\": \"a\"}\n", Ct);

        var malformed = await RunAsync("guard", "eval", "--guard", "injection", file);
        var unknown = await RunAsync("guard", "eval", "--guard", "nope", file);

        Assert.Equal(3, malformed.ExitCode);
        Assert.Contains("bad.jsonl:1", malformed.StdErr, StringComparison.Ordinal);
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("'nope' is not a guard", unknown.StdErr, StringComparison.Ordinal);
    }
}
