using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Switchyard.Tests.TestUtilities;

/// <summary>Calls a test gateway's management API and model endpoints the way a client would.</summary>
internal static class GatewayApi
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Sends a request with a key (the admin key by default) and returns the status and parsed JSON body.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(this TestGateway gateway, HttpMethod method, string path, string? json = null, string? key = TestGateway.AdminSecret)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await gateway.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        JsonNode? body = null;
        if (text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            body = JsonNode.Parse(text);
        }

        return (response.StatusCode, body, response);
    }

    /// <summary>Creates a key through the API; returns its id and its secret.</summary>
    public static async Task<(string Id, string Secret)> CreateKeyAsync(this TestGateway gateway, string json)
    {
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Post, "/api/keys", json);
        Assert.True(status == HttpStatusCode.Created, $"create key: {(int)status} {body?.ToJsonString()}");
        return (body!["id"]!.GetValue<string>(), body["key"]!.GetValue<string>());
    }

    public static async Task CreateAsync(this TestGateway gateway, string path, string json)
    {
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Post, path, json);
        Assert.True(status == HttpStatusCode.Created, $"POST {path}: {(int)status} {body?.ToJsonString()}");
    }

    /// <summary>A chat completion with <paramref name="key"/>; returns the whole response (status, headers, body).</summary>
    public static async Task<HttpResponseMessage> ChatAsync(this TestGateway gateway, string? key, string model = "sandbox", int? maxTokens = null, string content = "Hello there")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions");
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        var max = maxTokens is { } m ? $",\"max_tokens\":{m}" : "";
        request.Content = new StringContent($"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{content}\"}}]{max}}}", Encoding.UTF8, "application/json");
        var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    public static async Task<JsonNode> ErrorAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
}
