using System.Diagnostics;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>
/// The real Langfuse JS SDK (<c>@langfuse/client</c> from npm, run by Node) against a real Switchyard, as a new
/// user would: samples/langfuse-js/prompt.mjs creates, gets and compiles a prompt. Both the major version the
/// sample names and the newest (what <c>npm install @langfuse/client</c> gives a new user) are run. Each is
/// installed once into a temporary folder named after its version range and reused; a failing install fails the test.
/// </summary>
public sealed class LangfusePromptsSdkTests
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="range">The version range to install; null for the one samples/langfuse-js/package.json names.</param>
    [Theory]
    [InlineData(null)]
    [InlineData("^5")]
    public async Task The_Langfuse_JS_SDK_creates_gets_compiles_and_caches_a_prompt(string? range)
    {
        var sdk = await InstallAsync(range);
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var first = await RunAsync(sdk, Path.Combine(RepositoryRoot(), "samples", "langfuse-js", "prompt.mjs"), [gateway.BaseUrl], TestGateway.AdminSecret);
        Assert.Equal("movie-critic", first["name"]!.GetValue<string>());
        Assert.Equal(1, first["version"]!.GetValue<int>());
        Assert.Equal("As a expert movie critic, do you like Dune 2?", first["compiled"]!.GetValue<string>());
        Assert.Equal("""["production","latest"]""", first["labels"]!.ToJsonString());
        Assert.Equal("""{"model":"sandbox","temperature":0.7}""", first["config"]!.ToJsonString());
        // The second get within the cache time came from the SDK's cache, not the server.
        Assert.True(first["cached"]!.GetValue<bool>());

        // Run again: the SDK's create of the same content is answered with the existing version (a 200 it accepts).
        var again = await RunAsync(sdk, Path.Combine(RepositoryRoot(), "samples", "langfuse-js", "prompt.mjs"), [gateway.BaseUrl], TestGateway.AdminSecret);
        Assert.Equal(1, again["version"]!.GetValue<int>());
        var (_, versions, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/movie-critic");
        Assert.Single(versions!["versions"]!.AsArray());

        // A read key is enough to get; a chat prompt pushed through /api/prompts compiles in the SDK.
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"app","scopes":["read","ingest"]}""");
        await gateway.CreateAsync("/api/prompts", """{"name":"support","prompt":[{"role":"system","content":"You help with {{product}}."},{"role":"user","content":"{{question}}"}],"model":"sandbox","labels":["production"]}""");
        var chat = await RunAsync(sdk, ChatScript, [gateway.BaseUrl], reader);
        Assert.Equal("chat", chat["type"]!.GetValue<string>());
        Assert.Equal("""[{"role":"system","content":"You help with Switchyard."},{"role":"user","content":"How do I rotate a key?"}]""", chat["compiled"]!.ToJsonString());
        Assert.Equal(404, chat["missing"]!.GetValue<int>());

        // prompt.update moves labels (an admin key), and the SDK drops its cached copy.
        var updated = await RunAsync(sdk, UpdateScript, [gateway.BaseUrl], TestGateway.AdminSecret);
        Assert.Equal("""["canary","production","latest"]""", updated["labels"]!.ToJsonString());
        Assert.Equal(1, updated["canary"]!.GetValue<int>());
    }

    private const string UpdateScript = """
        import { LangfuseClient } from '@langfuse/client';
        const langfuse = new LangfuseClient({ publicKey: 'pk-lf-test', secretKey: process.env.SWITCHYARD_KEY, baseUrl: process.argv[2] });
        const updated = await langfuse.prompt.update({ name: 'support', version: 1, newLabels: ['canary'] });
        const canary = await langfuse.prompt.get('support', { label: 'canary', type: 'chat' });
        console.log(JSON.stringify({ labels: updated.labels, canary: canary.version }));
        """;

    private const string ChatScript = """
        import { LangfuseClient } from '@langfuse/client';
        const langfuse = new LangfuseClient({ publicKey: 'pk-lf-test', secretKey: process.env.SWITCHYARD_KEY, baseUrl: process.argv[2] });
        const prompt = await langfuse.prompt.get('support', { type: 'chat' });
        const compiled = prompt.compile({ product: 'Switchyard', question: 'How do I rotate a key?' });
        let missing = null;
        try { await langfuse.prompt.get('support', { label: 'nope', maxRetries: 0 }); } catch (e) { missing = e.statusCode; }
        console.log(JSON.stringify({ type: prompt.type, compiled, missing }));
        """;

    /// <summary>Runs a script (a path, or the script's text) with Node beside the installed SDK; returns its last output line as JSON.</summary>
    private static async Task<JsonNode> RunAsync(string sdk, string script, string[] arguments, string key)
    {
        // Node resolves '@langfuse/client' from the script's folder, so the script runs from the install.
        var copy = Path.Combine(sdk, $"script-{Guid.NewGuid():N}.mjs");
        await File.WriteAllTextAsync(copy, File.Exists(script) ? await File.ReadAllTextAsync(script, Ct) : script, Ct);
        try
        {
            var (exit, output, errors) = await ProcessAsync("node", [copy, .. arguments], sdk, TimeSpan.FromSeconds(60), ("SWITCHYARD_KEY", key));
            Assert.True(exit == 0, $"node exited with {exit}:\n{output}\n{errors}");
            var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            return JsonNode.Parse(last)!;
        }
        finally
        {
            File.Delete(copy);
        }
    }

    /// <summary>
    /// The folder holding <c>@langfuse/client</c> at the version range (by default the one samples/langfuse-js/package.json
    /// names), installed with npm on first use (into a fresh folder moved into place, so a concurrent run never sees half of it).
    /// </summary>
    private static async Task<string> InstallAsync(string? range)
    {
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryRoot(), "samples", "langfuse-js", "package.json"), Ct))!;
        range ??= manifest["dependencies"]!["@langfuse/client"]!.GetValue<string>();
        var folder = Path.Combine(Path.GetTempPath(), "switchyard-tests", "npm", "langfuse-client-" + string.Concat(range.Select(c => char.IsAsciiLetterOrDigit(c) || c == '.' ? c : '_')));
        var installed = Path.Combine(folder, "node_modules", "@langfuse", "client", "package.json");
        await s_install.WaitAsync(Ct);
        try
        {
            if (File.Exists(installed))
            {
                Log($"@langfuse/client@{range}: using the install in {folder} ({Version(installed)}); delete the folder to install again.");
                return folder;
            }

            var staging = $"{folder}.{Guid.NewGuid():N}";
            Directory.CreateDirectory(staging);
            await File.WriteAllTextAsync(Path.Combine(staging, "package.json"), """{"private":true,"type":"module"}""", Ct);
            Log($"@langfuse/client@{range}: npm install into {staging}");
            var watch = Stopwatch.StartNew();
            var (exit, output, errors) = await ProcessAsync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", $"@langfuse/client@{range}"], staging, TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"npm install @langfuse/client@{range} failed ({exit}); this test needs npm and the npm registry:\n{output}\n{errors}");
            try
            {
                Directory.Move(staging, folder);
            }
            catch (IOException) when (File.Exists(installed))
            {
                // Another test run installed it first; theirs is as good.
                Directory.Delete(staging, recursive: true);
            }

            Log($"@langfuse/client@{range}: installed {Version(installed)} in {watch.Elapsed.TotalSeconds:0.0} s");
            return folder;
        }
        finally
        {
            s_install.Release();
        }
    }

    private static string Version(string packageJson) => JsonNode.Parse(File.ReadAllText(packageJson))!["version"]!.GetValue<string>();

    private static async Task<(int Exit, string Output, string Errors)> ProcessAsync(string file, string[] arguments, string directory, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var errors = process.StandardError.ReadToEndAsync(Ct);
        try
        {
            await process.WaitForExitAsync(Ct).WaitAsync(timeout, Ct);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    private static void Log(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    private static string RepositoryRoot()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Switchyard.slnx")))
        {
            root = root.Parent;
        }

        return root?.FullName ?? throw new InvalidOperationException($"No Switchyard.slnx above {AppContext.BaseDirectory}.");
    }
}
