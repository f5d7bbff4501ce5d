using System.Diagnostics;
using System.Text.Json.Nodes;
using Switchyard.Tests.Tracing;
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

    [Fact]
    public async Task ChatApi_AnswersAndRecordsThumbs()
    {
        await using var gateway = await TestGateway.StartAsync();
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [SampleDll("ChatApi"), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["Switchyard__Url"] = gateway.BaseUrl;
        info.Environment["SWITCHYARD_API_KEY"] = TestGateway.AdminSecret;
        using var process = Process.Start(info)!;
        try
        {
            using var app = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var reply = await PostUntilUpAsync(app, "/chat", """{"message":"Hello there","user":"u-1","session":"s-1"}""");
            var answer = JsonNode.Parse(reply)!;
            Assert.False(string.IsNullOrEmpty(answer["answer"]!.GetValue<string>()));
            var traceId = answer["traceId"]!.GetValue<string>();
            var call = await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
            Assert.Equal("u-1", call["user_id"]);
            Assert.Equal("s-1", call["session_id"]);

            using var thumbs = await app.PostAsync("/feedback", new StringContent($$"""{"traceId":"{{traceId}}","thumbsUp":true,"comment":"spot on","user":"u-1"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, thumbs.StatusCode);
            using var invalid = await app.PostAsync("/feedback", new StringContent("""{"traceId":"nope","thumbsUp":false}""", System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, invalid.StatusCode);

            var feedback = Assert.Single((await TracesApiTests.GetJsonAsync(gateway, $"/api/traces/{traceId}"))["scores"]!.AsArray())!;
            Assert.Equal(1, feedback["value"]!.GetValue<double>());
            Assert.Equal("spot on", feedback["comment"]!.GetValue<string>());
            Assert.Equal("u-1", feedback["user"]!.GetValue<string>());
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
        }
    }

    private static async Task<string> PostUntilUpAsync(HttpClient app, string path, string json)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var response = await app.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {body}");
                return body;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, Ct);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    // artifacts/bin/{project}/{configuration}/: the sample's own folder, with its own dependencies.
    private static string SampleDll(string project)
    {
        var tests = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(tests.Parent!.Parent!.FullName, project, tests.Name, project + ".dll");
    }
}
