using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Caching;

/// <summary>What the cache tests share: a counting fake upstream, a gateway with the cache on, and requests.</summary>
internal static class CacheHarness
{
    public const string Question = """{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0}""";

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A chat request whose last user turn is <paramref name="text"/>, after an optional system prompt.</summary>
    public static string Chat(string text, string? system = null, double temperature = 0)
    {
        var messages = new List<object>();
        if (system is not null)
        {
            messages.Add(new { role = "system", content = system });
        }

        messages.Add(new { role = "user", content = text });
        return JsonSerializer.Serialize(new { model = "m", messages, temperature });
    }

    public static async Task<FakeUpstream> Upstream()
    {
        var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, request) => request.Body.Contains("\"stream\":true", StringComparison.Ordinal)
            ? UpstreamReplies.OpenAIStream(http, UpstreamReplies.ChatChunks)
            : UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        return upstream;
    }

    public static Task<TestGateway> CacheGateway(FakeUpstream upstream, bool anonymous = true, Action<SwitchyardOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        TestGateway.StartAsync(
            o =>
            {
                TestGateway.Upstream("m", "openai", upstream, d => d.Model = "gpt-4o")(o);
                o.Cache.Exact = true;
                configure?.Invoke(o);
            },
            anonymous,
            services);

    public static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string body, string? key = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Authorization = new("Bearer", key);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    public static async Task<string> SendAsync(TestGateway gateway, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }

    /// <summary>Waits until the store holds <paramref name="entries"/>: an answer is stored after the client has it.</summary>
    public static async Task StoredAsync(TestGateway gateway, int entries)
    {
        var store = gateway.Services.GetRequiredService<Switchyard.Caching.ExactCache>().Store;
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (store.Count < entries && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>Waits until the semantic index holds <paramref name="vectors"/>.</summary>
    public static async Task IndexedAsync(TestGateway gateway, int vectors)
    {
        var index = gateway.Services.GetRequiredService<Switchyard.Caching.Semantic.SemanticCache>().Index;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (index.Count < vectors && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }

        Assert.Equal(vectors, index.Count);
    }

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : throw new Xunit.Sdk.XunitException($"no {name} header ({(int)response.StatusCode})");

    public static async Task<string> ScrapeUntilAsync(TestGateway gateway, string pattern)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var text = await gateway.Client.GetStringAsync("/metrics", Ct);
            if (System.Text.RegularExpressions.Regex.IsMatch(text, pattern) || DateTime.UtcNow > deadline)
            {
                Assert.Matches(pattern, text);
                return text;
            }

            await Task.Delay(100, Ct);
        }
    }
}
