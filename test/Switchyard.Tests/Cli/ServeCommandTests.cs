using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary>The <c>serve</c> command as a process: banner, admin key, refusal, bad config, graceful stop.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "switchyard-serve-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Serve_NoConfig_ServesSandboxAndPrintsAdminKeyOnlyOnce()
    {
        string adminKey;
        await using (var serve = ServeProcess.Start($"serve --urls http://127.0.0.1:0 --data {_data}"))
        {
            var url = await serve.WaitListeningAsync(Ct);
            using var client = new HttpClient { BaseAddress = new Uri(url) };

            using var chat = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            Assert.Contains("sandbox", serve.Output);
            Assert.Contains("simulated", serve.Output);

            adminKey = System.Text.RegularExpressions.Regex.Match(serve.Output, @"sy-admin-[A-Za-z0-9_-]+").Value;
            Assert.NotEmpty(adminKey);

            using var noKey = await client.GetAsync("/api/models", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/models");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            using var withKey = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, withKey.StatusCode);
            Assert.DoesNotContain("sy-admin", await withKey.Content.ReadAsStringAsync(Ct));
            serve.Terminate();
            Assert.Equal(0, await serve.WaitExitAsync(Ct));
        }

        await using (var again = ServeProcess.Start($"serve --urls http://127.0.0.1:0 --data {_data}"))
        {
            var url = await again.WaitListeningAsync(Ct);
            Assert.DoesNotContain("sy-admin-", again.Output);
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/models");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
            using var withKey = await client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, withKey.StatusCode); // the stored hash still recognises it
        }
    }

    [Fact]
    public async Task Serve_FirstKeyClosesOpenV1_SaidOnceByServerAndCli_AndBannerKnowsAfterRestart()
    {
        const string adminKey = "sy-admin-cli-test-0123456789abcdef0123456789";
        var environment = new Dictionary<string, string?> { ["SWITCHYARD_ADMIN_KEY"] = adminKey };
        await using (var serve = ServeProcess.Start($"serve --urls http://127.0.0.1:0 --data {_data}", environment))
        {
            var url = await serve.WaitListeningAsync(Ct);
            await serve.WaitForOutputAsync("Auth:", Ct);
            Assert.Contains("Auth: /v1 open on loopback (no keys defined)", serve.Output);

            var first = await CliRunner.RunAsync(url, adminKey, Ct, "keys", "create", "--name", "first");
            Assert.Equal(0, first.ExitCode);
            Assert.Contains("/v1 now requires a key", first.StdErr);
            Assert.Contains("Authorization: Bearer <key>", first.StdErr);
            Assert.DoesNotContain("requires a key", first.StdOut); // stdout stays the secret alone
            await serve.WaitForOutputAsync("is the first virtual key", Ct);

            using var client = new HttpClient { BaseAddress = new Uri(url) };
            using var anonymous = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            var second = await CliRunner.RunAsync(url, adminKey, Ct, "keys", "create", "--name", "second", "--format", "json");
            Assert.Equal(0, second.ExitCode);
            Assert.DoesNotContain("requires a key", second.StdErr);
            Assert.Null(JsonNode.Parse(second.StdOut)!["v1_now_requires_key"]); // additive: only the first answer carries it
            serve.Terminate();
            Assert.Equal(0, await serve.WaitExitAsync(Ct));
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(serve.Output, "is the first virtual key"));
        }

        await using var again = ServeProcess.Start($"serve --urls http://127.0.0.1:0 --data {_data}", environment);
        await again.WaitListeningAsync(Ct);
        await again.WaitForOutputAsync("Auth:", Ct);
        Assert.DoesNotContain("/v1 open on loopback", again.Output);
        Assert.Contains("Auth: /v1 needs a virtual key (keys exist", again.Output);
    }

    [Fact]
    public async Task Serve_BeyondLoopbackWithoutAuth_Refuses()
    {
        await using var serve = ServeProcess.Start($"serve --urls http://0.0.0.0:0 --data {_data}");

        Assert.Equal(3, await serve.WaitExitAsync(Ct));
        Assert.Contains("SWITCHYARD_ADMIN_KEY", serve.Output);
    }

    [Fact]
    public async Task Serve_BeyondLoopbackWithAdminKey_RequiresKeyOnV1()
    {
        await using var serve = ServeProcess.Start($"serve --urls http://0.0.0.0:0 --data {_data}", new Dictionary<string, string?> { ["SWITCHYARD_ADMIN_KEY"] = "sy-admin-0123456789abcdef0123456789abcdef" });
        var url = (await serve.WaitListeningAsync(Ct)).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        const string body = """{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""";

        using var anonymous = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("invalid_api_key", JsonNode.Parse(await anonymous.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sy-admin-0123456789abcdef0123456789abcdef");
        using var authorised = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
    }

    [Fact]
    public async Task TracesCommand_ListsShowsAndExportsFromARunningServer()
    {
        const string key = "sy-admin-cli-test-0123456789abcdef0123456789";
        await using var serve = ServeProcess.Start($"serve --urls http://127.0.0.1:0 --data {_data}", new Dictionary<string, string?> { ["SWITCHYARD_ADMIN_KEY"] = key });
        var url = await serve.WaitListeningAsync(Ct);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("x-switchyard-user", "cli-user");
        using var chat = await client.SendAsync(request, Ct);
        var traceId = chat.Headers.GetValues("x-switchyard-trace-id").Single();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        for (var i = 0; i < 100 && !(await client.GetAsync($"/api/traces/{traceId}", Ct)).IsSuccessStatusCode; i++)
        {
            await Task.Delay(50, Ct); // bounded wait for the batched writer
        }

        await using var list = ServeProcess.Start($"traces list --url {url} --key {key} --user cli-user");
        Assert.Equal(0, await list.WaitExitAsync(Ct));
        Assert.Contains(traceId, list.Output);
        Assert.Contains("sandbox", list.Output);

        await using var show = ServeProcess.Start($"traces show {traceId} --url {url} --key {key}");
        Assert.Equal(0, await show.WaitExitAsync(Ct));
        Assert.Equal(traceId, JsonNode.Parse(show.Output)!["trace_id"]!.GetValue<string>());

        var file = Path.Combine(_data, "export.jsonl");
        await using var export = ServeProcess.Start($"traces export --url {url} --key {key} --output {file}");
        Assert.Equal(0, await export.WaitExitAsync(Ct));
        Assert.Contains(traceId, await File.ReadAllTextAsync(file, Ct));

        await using var denied = ServeProcess.Start($"traces list --url {url} --key wrong-key-0123456789");
        Assert.Equal(5, await denied.WaitExitAsync(Ct));
        Assert.Contains("401", denied.Output);
    }

    [Fact]
    public async Task Serve_InvalidConfig_ExitsNamingTheKey()
    {
        Directory.CreateDirectory(_data);
        var config = Path.Combine(_data, "bad.yaml");
        await File.WriteAllTextAsync(config, """
            model_groups:
              gpt-4o:
                deployments:
                  - provider: opneai
                    model: gpt-4o
                    weight: heavy
            """, Ct);
        await using var serve = ServeProcess.Start($"serve --config {config} --urls http://127.0.0.1:0 --data {_data}");

        Assert.Equal(2, await serve.WaitExitAsync(Ct));
        Assert.Contains("model_groups.gpt-4o.deployments[0].provider: unknown provider 'opneai'", serve.Output);
        Assert.Contains("model_groups.gpt-4o.deployments[0].weight: 'heavy' is not a whole number", serve.Output);
    }

    [Fact]
    public async Task Sigterm_FinishesInFlightStream_FlushesRecordAndExitsZero()
    {
        Directory.CreateDirectory(_data);
        var config = Path.Combine(_data, "slow.yaml");
        await File.WriteAllTextAsync(config, """
            model_groups:
              slow:
                deployments:
                  - provider: sandbox
                    sandbox:
                      inter_token_delay: 50ms
                      default_answer_tokens: 30
            """, Ct);
        await using var serve = ServeProcess.Start($"serve --config {config} --urls http://127.0.0.1:0 --data {_data}");
        var url = await serve.WaitListeningAsync(Ct);
        using var client = new HttpClient { BaseAddress = new Uri(url) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"slow","stream":true,"messages":[{"role":"user","content":"tell me"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var reading = response.Content.ReadAsStringAsync(Ct);
        serve.Terminate();
        var body = await reading;

        Assert.EndsWith("data: [DONE]\n\n", body);
        Assert.Equal(0, await serve.WaitExitAsync(Ct));
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        var db = new Switchyard.Storage.SqliteDatabase(_data);
        using var connection = db.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT status FROM calls WHERE trace_id = $t";
        command.Parameters.AddWithValue("$t", traceId);
        Assert.Equal(200L, command.ExecuteScalar());
    }
}
