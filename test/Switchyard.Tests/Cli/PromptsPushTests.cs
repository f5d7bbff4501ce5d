using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Cli.Commands;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard prompts push DIR</c> through the real executable, and the file formats it reads.</summary>
public sealed class PromptsPushTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "switchyard-tests", "push-" + Guid.NewGuid().ToString("N"));

    public PromptsPushTests() => Directory.CreateDirectory(_dir);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Push_CreatesVersions_AndASecondRunCreatesNothing()
    {
        await using var gateway = await TestGateway.StartAsync();
        Write("greet.yaml", """
            prompt: "Hello {{name}}"
            variables:
              - name: name
                default: world
            parameters:
              temperature: 0.2
            """);
        Write("team/support.md", """
            ---
            type: chat
            model: sandbox
            labels: [staging]
            ---

            ## system
            You help with {{product}}.

            ## user
            {{question}}
            """);

        var first = await RunAsync(gateway, "prompts", "push", _dir, "--label", "production", "--message", "from git");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("created greet@1 (greet.yaml)", first.StdOut);
        Assert.Contains($"created support@1 ({Path.Combine("team", "support.md")})", first.StdOut);

        var second = await RunAsync(gateway, "prompts", "push", _dir, "--label", "production");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("unchanged greet@1", second.StdOut);
        Assert.Contains("unchanged support@1", second.StdOut);
        Assert.DoesNotContain("created", second.StdOut);

        var (_, support, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/labels/production");
        Assert.Equal("chat", support!["type"]!.GetValue<string>());
        Assert.Equal("""[{"role":"system","content":"You help with {{product}}."},{"role":"user","content":"{{question}}"}]""", support["prompt"]!.ToJsonString());
        Assert.Equal("from git", support["message"]!.GetValue<string>());
        Assert.Contains("staging", support["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        var (_, greet, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/greet/versions/1");
        Assert.Equal("Hello {{name}}", greet!["prompt"]!.GetValue<string>());
        Assert.Equal(0.2, greet["parameters"]!["temperature"]!.GetValue<double>());

        File.WriteAllText(Path.Combine(_dir, "greet.yaml"), "prompt: \"Hi {{name}}!\"\n");
        var third = await RunAsync(gateway, "prompts", "push", _dir);
        Assert.Contains("created greet@2", third.StdOut);
        Assert.Contains("unchanged support@1", third.StdOut);
    }

    [Fact]
    public async Task HostileFiles_FailOneByOne_AndTheOthersArePushed()
    {
        await using var gateway = await TestGateway.StartAsync();
        Write("good.yaml", "prompt: fine\n");
        Write("broken.yaml", "prompt: [unclosed\n");
        Write("typo.yml", "nam: x\nprompt: hi\n");
        File.WriteAllBytes(Path.Combine(_dir, "latin1.yaml"), [.. Encoding.ASCII.GetBytes("prompt: caf"), 0xE9, (byte)'\n']);
        Write("refused.yaml", "prompt: hi\nvariables:\n  - name: n\n    type: date\n");
        Write("nameless.md", "---\nname: [a, b]\n---\nbody\n");
        Write("notes.txt", "not a prompt file");

        var run = await RunAsync(gateway, "prompts", "push", _dir);

        Assert.True(run.ExitCode == 5, run.ToString());
        Assert.Contains("created good@1 (good.yaml)", run.StdOut);
        Assert.Contains("error broken.yaml: invalid YAML at line", run.StdErr);
        Assert.Contains("error typo.yml: unknown field 'nam'", run.StdErr);
        Assert.Contains("error latin1.yaml: not UTF-8 text", run.StdErr);
        Assert.Contains("error refused.yaml: 400: variables.n.type", run.StdErr);
        Assert.Contains("error nameless.md: name: must be a string", run.StdErr);
        Assert.DoesNotContain("notes.txt", run.StdOut + run.StdErr);
        Assert.Equal(5, run.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task DryRun_ChecksTheFiles_WithoutAGateway()
    {
        Write("a.yaml", "prompt: one\n");
        Write("b.yaml", "prompt: two\nextra: 1\n");

        var run = await CliRunner.RunAsync("http://127.0.0.1:9", null, Ct, "prompts", "push", _dir, "--dry-run");

        Assert.Equal(5, run.ExitCode);
        Assert.Contains("ok a (a.yaml)", run.StdOut);
        Assert.Contains("error b.yaml: unknown field 'extra'", run.StdErr);
    }

    [Fact]
    public async Task MissingDirectory_IsAConfigurationError()
    {
        var run = await CliRunner.RunAsync("http://127.0.0.1:9", TestGateway.AdminSecret, Ct, "prompts", "push", Path.Combine(_dir, "nope"));
        Assert.Equal(2, run.ExitCode);
    }

    [Fact]
    public void Yaml_MessagesMakeAChatPrompt_AndScalarsKeepTheirTypes()
    {
        var file = Read("triage.yaml", """
            messages:
              - role: system
                content: Sort {{ticket}}
            variables:
              - {name: ticket, type: json, default: {id: 1}}
              - {name: strict, type: boolean, default: false}
              - {name: code, type: string, default: "007"}
            pinned_model: gpt-4o-2024-08-06
            """);

        Assert.Null(file.Error);
        var body = file.Body!;
        Assert.Equal("triage", body["name"]!.GetValue<string>());
        Assert.Equal("chat", body["type"]!.GetValue<string>());
        Assert.False(body.ContainsKey("messages"));
        Assert.Equal("""[{"role":"system","content":"Sort {{ticket}}"}]""", body["prompt"]!.ToJsonString());
        Assert.Equal("""{"id":1}""", body["variables"]![0]!["default"]!.ToJsonString());
        Assert.False(body["variables"]![1]!["default"]!.GetValue<bool>());
        Assert.Equal("007", body["variables"]![2]!["default"]!.GetValue<string>());
    }

    [Fact]
    public void Markdown_TextBodyIsTheTemplate_AndCrlfDoesNotMatter()
    {
        var unix = Read("summary.md", "---\nname: summarize\nmodel: sandbox\n---\n\nSummarize:\n\n  {{text}}\n\n");
        var windows = Read("summary.md", "---\r\nname: summarize\r\nmodel: sandbox\r\n---\r\n\r\nSummarize:\r\n\r\n  {{text}}\r\n");
        var bare = Read("plain.md", "Just {{this}}.");

        Assert.Equal("Summarize:\n\n  {{text}}", unix.Body!["prompt"]!.GetValue<string>());
        Assert.Equal(unix.Body.ToJsonString(), windows.Body!.ToJsonString());
        Assert.Equal("plain", bare.Name);
        Assert.Equal("Just {{this}}.", bare.Body!["prompt"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("x.md", "---\ntype: chat\n---\nhello\n## user\nhi", "belongs to no message")]
    [InlineData("x.md", "---\ntype: chat\n---\n## robot\nhi", "'## robot' is not a role")]
    [InlineData("x.md", "---\ntype: chat\n---\nno headings", "needs '## system'")]
    [InlineData("x.md", "---\nname: x\nbody", "no closing ---")]
    [InlineData("x.md", "---\nprompt: hi\n---\nbody", "come from the body")]
    [InlineData("x.md", "---\nname: x\n---\n\n", "the body is empty")]
    [InlineData("x.yaml", "", "empty")]
    [InlineData("x.yaml", "- a\n- b", "must be a mapping")]
    [InlineData("x.yaml", "name: a\n---\nname: b", "one prompt per file")]
    [InlineData("x.yaml", "name: a\nname: b\nprompt: p", "Duplicate key")]
    [InlineData("x.yaml", "name: a", "prompt: required")]
    [InlineData("x.yaml", "prompt: a\nmessages: []", "both prompt and messages")]
    [InlineData("x.yaml", "prompt: a\nlabels: production", "labels: must be a list of strings")]
    [InlineData("x.yaml", "a: &a [*a]", "invalid YAML")]
    [InlineData("x.yaml", "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nprompt: p", "more than 100000 values")]
    public void Mistakes_AreNamed(string path, string text, string expected)
    {
        var file = Read(path, text);

        Assert.Null(file.Body);
        Assert.Contains(expected, file.Error);
    }

    private static PromptFileResult Read(string path, string text) => PromptFiles.Read(path, Encoding.UTF8.GetBytes(text));

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private static Task<CliResult> RunAsync(TestGateway gateway, params string[] args) => CliRunner.RunAsync(gateway.BaseUrl, TestGateway.AdminSecret, Ct, args);
}
