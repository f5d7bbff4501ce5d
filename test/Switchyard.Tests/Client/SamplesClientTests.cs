using System.Diagnostics;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Client;

/// <summary>The samples under samples/dotnet run against a real gateway and leave the trace they promise.</summary>
public sealed class SamplesClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RagConsole_AnswersFromRetrievedDocuments_AndItsSpansNestTheGatewayCalls()
    {
        await using var gateway = await TestGateway.StartAsync();
        var info = new ProcessStartInfo("dotnet", [SampleDll("RagConsole"), "How", "do", "I", "rotate", "a", "virtual", "key?"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["SWITCHYARD_URL"] = gateway.BaseUrl;
        info.Environment["SWITCHYARD_API_KEY"] = TestGateway.AdminSecret;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(60), Ct);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {output}\n{await stderr}");

        // The sandbox's embeddings put texts that share words close together: the key document ranks first.
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("retrieved", lines[0]);
        Assert.Contains("rotate a key", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("answer: ", StringComparison.Ordinal) && l.Length > "answer: ".Length);
        var traceId = lines.Single(l => l.StartsWith("trace: ", StringComparison.Ordinal))["trace: ".Length..];

        // rag.answer (application) > rag.retrieve (application) > embeddings call (gateway), and the chat call
        // (gateway) directly under rag.answer.
        var trace = await ClientTraces.WaitForSpansAsync(gateway, traceId, expected: 4);
        var root = Assert.Single(trace["spans"]!.AsArray())!;
        Assert.Equal("rag.answer", root["name"]!.GetValue<string>());
        Assert.Equal("rag-console", root["service"]!.GetValue<string>());
        var children = root["children"]!.AsArray();
        var retrieve = children.Single(c => c!["name"]?.GetValue<string>() == "rag.retrieve")!;
        Assert.Equal("retrieval", retrieve["type"]!.GetValue<string>());
        var embeddingCall = Assert.Single(retrieve["children"]!.AsArray())!;
        Assert.Equal("gateway", embeddingCall["source"]!.GetValue<string>());
        Assert.Equal("embeddings", embeddingCall["api"]!.GetValue<string>());
        var chatCall = children.Single(c => c!["source"]!.GetValue<string>() == "gateway")!;
        Assert.Equal("rag-console", chatCall["session"]!.GetValue<string>());
        Assert.Equal(["sample:rag-console"], chatCall["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
    }

    // artifacts/bin/{project}/{configuration}/: the sample's own folder, with its own dependencies.
    private static string SampleDll(string project)
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(tests.Parent!.Parent!.FullName, project, tests.Name, project + ".dll");
    }
}
