using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Routing;

/// <summary>Fake upstreams with faults, and a gateway routing across them, for the chaos tests.</summary>
internal static class RoutingHarness
{
    public const string ServerError = """{"error":{"message":"The server had an error while processing your request.","type":"server_error","code":null}}""";

    /// <summary>A model group whose deployments are the given upstreams, named as given.</summary>
    public static Action<SwitchyardOptions> Group(string group, params (string Name, FakeUpstream Upstream)[] deployments) =>
        Group(group, null, deployments);

    public static Action<SwitchyardOptions> Group(string group, Action<DeploymentOptions>? configure, params (string Name, FakeUpstream Upstream)[] deployments) => options =>
    {
        var list = new List<DeploymentOptions>();
        foreach (var (name, upstream) in deployments)
        {
            var d = new DeploymentOptions { Name = name, Provider = "openai", Model = "up-" + group, BaseUrl = upstream.BaseUrl, ApiKey = "sk-test" };
            configure?.Invoke(d);
            list.Add(d);
        }

        options.ModelGroups[group] = new ModelGroupOptions { Deployments = list };
    };

    public static Action<SwitchyardOptions> All(params Action<SwitchyardOptions>[] steps) => options =>
    {
        foreach (var step in steps)
        {
            step(options);
        }
    };

    /// <summary>Healthy answers, plain or streamed as asked.</summary>
    public static Task Healthy(HttpContext http, ReceivedRequest request) =>
        request.Body.Contains("\"stream\":true", StringComparison.Ordinal)
            ? UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks)
            : UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);

    /// <summary>Fails calls number 0, 1, 2 of every 10 with <paramref name="status"/>: exactly 30 %.</summary>
    public static Func<HttpContext, ReceivedRequest, Task> FailingThirtyPercent(int status = 500)
    {
        var n = -1;
        return (http, request) => Interlocked.Increment(ref n) % 10 < 3 ? UpstreamReplies.Json(http, ServerError, status) : Healthy(http, request);
    }

    public static Task Failing(HttpContext http, ReceivedRequest _) => UpstreamReplies.Json(http, ServerError, 500);

    public static Task Reset(HttpContext http, ReceivedRequest _)
    {
        http.Abort();
        return Task.CompletedTask;
    }

    public static async Task Hang(HttpContext http, ReceivedRequest _)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Starts a stream with one chunk, then says nothing until the gateway hangs up; <paramref name="hungUp"/> then completes.</summary>
    public static Func<HttpContext, ReceivedRequest, Task> OneChunkThenSilence(TaskCompletionSource? hungUp = null) => async (http, _) =>
    {
        http.Response.ContentType = "text/event-stream";
        await http.Response.WriteAsync($"data: {UpstreamReplies.ChatChunks[0]}\n\n");
        await http.Response.Body.FlushAsync();
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            hungUp?.TrySetResult();
        }
    };

    public static HttpContent Chat(string model, bool stream = false) =>
        new StringContent($$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");

    public static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string model, bool stream = false, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(model, stream) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await gateway.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header");

    public static async Task<JsonArray> AttemptsAsync(TestGateway gateway, HttpResponseMessage response)
    {
        var row = await RecordedCalls.WaitForAsync(gateway, Header(response, "x-switchyard-trace-id"), TestContext.Current.CancellationToken);
        return JsonNode.Parse((string)row["attempts"]!)!.AsArray();
    }

    public static async Task<JsonArray> DeploymentsAsync(TestGateway gateway)
    {
        var ready = JsonNode.Parse(await gateway.Client.GetStringAsync("/health/ready", TestContext.Current.CancellationToken))!;
        return ready["deployments"]!.AsArray();
    }

    public static JsonNode Deployment(JsonArray deployments, string name) => deployments.Single(d => d!["name"]!.GetValue<string>() == name)!;

    /// <summary>Scrapes <c>/metrics</c> until <paramref name="pattern"/> matches (the exporter caches a scrape briefly).</summary>
    public static async Task<string> ScrapeUntilAsync(TestGateway gateway, string pattern)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var text = await gateway.Client.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
            if (System.Text.RegularExpressions.Regex.IsMatch(text, pattern))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"/metrics never matched {pattern}:\n{text}");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    public static MediaTypeHeaderValue Json => new("application/json");
}
