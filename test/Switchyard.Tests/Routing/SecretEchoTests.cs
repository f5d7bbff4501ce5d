using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Routing;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Routing.RoutingHarness;

namespace Switchyard.Tests.Routing;

/// <summary>
/// Issue 23: upstreams that echo the deployment's own credentials in an error (a 401 quoting the key,
/// a proxy page quoting a header, a malformed reply that .NET quotes in its exception) must not hand
/// them to the caller, the trace, the logs or <c>/health/ready</c>.
/// </summary>
public sealed class SecretEchoTests
{
    private const string Key = "sk-upstream-secret-0123";

    /// <summary>An extra header value with characters that JSON and URL encoding change.</summary>
    private const string TenantToken = "tenant/token+98765=";

    /// <summary>
    /// The credentials as an error may quote them: raw, JSON-escaped, URL-encoded, and as the hyphenated
    /// hex .NET uses for bytes it cannot parse (<c>73-6B-2D-...</c>).
    /// </summary>
    private static readonly string[] s_forms = [Key, BitConverter.ToString(Encoding.UTF8.GetBytes(Key)), TenantToken, "tenant\\/token\\u002B98765=", "tenant/token\\u002B98765=", "tenant/token\\u002b98765=", "tenant%2Ftoken%2B98765%3D", "tenant%2ftoken%2b98765%3d"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("openai", false)]
    [InlineData("openai", true)]
    [InlineData("anthropic", false)]
    [InlineData("anthropic", true)]
    public async Task A_401_that_quotes_the_key_and_a_header_reaches_neither_the_client_nor_the_trace(string provider, bool stream)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) =>
        {
            http.Response.Headers["x-echo-key"] = Key;
            var json = provider == "anthropic"
                ? $$$"""{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: {{{Key}}} (x-tenant-token: tenant\/token\u002B98765=)"}}"""
                : $$$"""{"error":{"message":"Incorrect API key provided: {{{Key}}}. Sent: Authorization: Bearer {{{Key}}}, x-tenant-token: tenant\/token\u002B98765=","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";
            return UpstreamReplies.Json(http, json, 401);
        };
        await using var gateway = await TestGateway.StartAsync(Echoing(provider, upstream.BaseUrl));

        using var response = await PostAsync(gateway, "echo", stream);
        var answer = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("[redacted]", answer, StringComparison.Ordinal);
        AssertClean(answer + response.Headers + response.Content.Headers);
        AssertClean(await TraceAsync(gateway, response));
    }

    [Fact]
    public async Task A_5xx_page_that_quotes_credentials_in_any_encoding_is_relayed_without_them()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) =>
        {
            http.Response.StatusCode = 502;
            http.Response.ContentType = "text/html";
            return http.Response.WriteAsync($"<html>bad gateway: key={Key} tenant={TenantToken} escaped=tenant\\/token\\u002B98765= query=?t=tenant%2Ftoken%2B98765%3D</html>");
        };
        await using var gateway = await TestGateway.StartAsync(Echoing("openai", upstream.BaseUrl));

        using var response = await PostAsync(gateway, "echo");
        var answer = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("bad gateway: key=[redacted] tenant=[redacted]", answer, StringComparison.Ordinal);
        AssertClean(answer);
        var trace = await TraceAsync(gateway, response);
        AssertClean(trace);

        await gateway.StopAsync();
        AssertClean(await StoredAsync(gateway));
    }

    [Fact]
    public async Task An_error_inside_a_200_answer_is_relayed_without_the_key()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, $$$"""{"type":"error","error":{"type":"api_error","message":"key {{{Key}}} is suspended"}}""");
        await using var gateway = await TestGateway.StartAsync(Echoing("anthropic", upstream.BaseUrl));

        using var response = await PostAsync(gateway, "echo");
        var answer = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("key [redacted] is suspended", answer, StringComparison.Ordinal);
        AssertClean(answer);
        AssertClean(await TraceAsync(gateway, response));
    }

    [Fact]
    public async Task A_malformed_header_quoting_the_key_stays_out_of_answers_traces_logs_and_health()
    {
        await using var upstream = RawUpstream.Start();
        // .NET quotes a header line it cannot parse in its exception message, key and all.
        upstream.Respond = (stream, ct) => RawUpstream.WriteAsync(stream, $"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nx-echo {Key} {TenantToken}\r\n\r\n", ct);
        var attemptLog = new ListLogger<UpstreamAttempt>();
        var checkLog = new ListLogger<HealthChecks>();
        await using var gateway = await TestGateway.StartAsync(
            All(Echoing("openai", upstream.BaseUrl), o => o.Routing.HealthChecks.FailuresToIsolate = 1),
            services: s => s.AddSingleton<ILogger<UpstreamAttempt>>(attemptLog).AddSingleton<ILogger<HealthChecks>>(checkLog));

        using var response = await PostAsync(gateway, "echo");
        var answer = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("invalid header line", answer, StringComparison.Ordinal);
        AssertClean(answer);
        AssertClean(await TraceAsync(gateway, response));

        var checks = ActivatorUtilities.CreateInstance<HealthChecks>(gateway.Services);
        gateway.Services.GetRequiredService<ModelCatalog>().TryGet("echo", out var group);
        await checks.CheckAsync(group.Deployments.Single(), Ct);
        var health = Deployment(await DeploymentsAsync(gateway), "echo-deployment")["health_check"]!["error"]!.GetValue<string>();
        Assert.Contains("invalid header line", health, StringComparison.Ordinal);
        AssertClean(health);

        var logs = string.Join('\n', attemptLog.Lines.Concat(checkLog.Lines));
        Assert.Contains("invalid header line", logs, StringComparison.Ordinal);
        AssertClean(logs);
    }

    [Fact]
    public async Task A_stream_broken_by_a_chunk_header_quoting_the_key_ends_without_it()
    {
        await using var upstream = RawUpstream.Start();
        var clientGotFirstChunk = new TaskCompletionSource();
        upstream.Respond = async (stream, ct) =>
        {
            var chunk = $"data: {UpstreamReplies.ChatChunks[0]}\n\n";
            await RawUpstream.WriteAsync(stream, $"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n{Encoding.UTF8.GetByteCount(chunk):x}\r\n{chunk}\r\n", ct);
            await clientGotFirstChunk.Task.WaitAsync(ct);
            // Not a chunk size: .NET quotes it in the IOException that breaks the stream.
            await RawUpstream.WriteAsync(stream, $"{Key}\r\n", ct);
        };
        await using var gateway = await TestGateway.StartAsync(Echoing("openai", upstream.BaseUrl));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("echo", stream: true) };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var answer = new StringBuilder(await reader.ReadLineAsync(Ct));
        clientGotFirstChunk.SetResult();
        try
        {
            while (await reader.ReadLineAsync(Ct) is { } line)
            {
                answer.Append(line).Append('\n');
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            // The gateway closes a failed stream without its final chunk.
        }

        Assert.Contains("The upstream stream broke", answer.ToString(), StringComparison.Ordinal);
        AssertClean(answer.ToString());
        AssertClean(await TraceAsync(gateway, response));
    }

    /// <summary>One deployment named <c>echo-deployment</c> with the key and a secret extra header; no retries.</summary>
    private static Action<SwitchyardOptions> Echoing(string provider, string baseUrl) => options =>
    {
        options.Routing.MaxRetries = 0;
        options.ModelGroups["echo"] = new ModelGroupOptions
        {
            Deployments =
            [
                new DeploymentOptions
                {
                    Name = "echo-deployment",
                    Provider = provider,
                    Model = "upstream-echo",
                    BaseUrl = baseUrl,
                    ApiKey = Key,
                    Headers = new(StringComparer.OrdinalIgnoreCase) { ["x-tenant-token"] = TenantToken },
                },
            ],
        };
    };

    private static void AssertClean(string text)
    {
        foreach (var form in s_forms)
        {
            Assert.DoesNotContain(form, text, StringComparison.Ordinal);
        }
    }

    private static async Task<string> TraceAsync(TestGateway gateway, HttpResponseMessage response)
    {
        var traceId = Header(response, "x-switchyard-trace-id");
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/traces/{traceId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        using var trace = await gateway.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, trace.StatusCode);
        var text = await trace.Content.ReadAsStringAsync(Ct);
        Assert.Contains("echo-deployment", text, StringComparison.Ordinal);
        return text;
    }

    /// <summary>Every byte the gateway stored, read after it stopped.</summary>
    private static async Task<string> StoredAsync(TestGateway gateway)
    {
        var stored = new StringBuilder();
        foreach (var file in Directory.GetFiles(gateway.DataDirectory, "*", SearchOption.AllDirectories))
        {
            stored.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, Ct)));
        }

        return stored.ToString();
    }
}
