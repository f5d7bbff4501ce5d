using System.Text;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Switchyard.Routing;
using Xunit;

namespace Switchyard.Tests.Providers.Sandbox;

/// <summary>Builds sandbox deployments and sends bodies to them.</summary>
internal static class SandboxTestKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Deployment Deployment(SandboxAdapter adapter, Action<SandboxOptions>? configure = null, string model = "sandbox")
    {
        SandboxOptions sandbox = new();
        configure?.Invoke(sandbox);
        DeploymentOptions options = new() { Name = "sbx-1", Provider = "sandbox", Model = model, Sandbox = sandbox };
        return new Deployment("sandbox", options, adapter);
    }

    public static ValueTask<UpstreamResponse> SendAsync(SandboxAdapter adapter, Deployment deployment, WireFormat format, string body, CancellationToken? ct = null) =>
        adapter.SendAsync(deployment, new UpstreamRequest { Format = format, Body = Encoding.UTF8.GetBytes(body), Stream = body.Contains("\"stream\":true", StringComparison.Ordinal) }, ct ?? Ct);

    /// <summary>Sends and parses a non-streamed answer.</summary>
    public static async Task<(int Status, JsonElement Json)> SendJsonAsync(SandboxAdapter adapter, Deployment deployment, WireFormat format, string body)
    {
        await using UpstreamResponse response = await SendAsync(adapter, deployment, format, body);
        Assert.Equal("application/json", response.ContentType);
        using JsonDocument document = await JsonDocument.ParseAsync(response.Body, cancellationToken: Ct);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static async Task<(int Status, JsonElement Json)> ChatAsync(string body, Action<SandboxOptions>? configure = null)
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        return await SendJsonAsync(adapter, Deployment(adapter, configure), WireFormat.OpenAIChat, body);
    }

    /// <summary>Reads a whole event stream into its events (without the blank-line terminator).</summary>
    public static async Task<List<string>> ReadAllEventsAsync(Stream body)
    {
        SseReader reader = new(body);
        List<string> events = [];
        while (await reader.NextAsync(Ct) is { } e)
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>The JSON of a <c>data:</c> line of an event.</summary>
    public static JsonElement Data(string sseEvent)
    {
        string line = sseEvent.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal));
        using JsonDocument document = JsonDocument.Parse(line["data: ".Length..]);
        return document.RootElement.Clone();
    }

    public static string? EventName(string sseEvent) =>
        sseEvent.Split('\n').SingleOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
}
