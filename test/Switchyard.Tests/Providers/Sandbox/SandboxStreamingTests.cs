using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Accounting;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Xunit;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;

namespace Switchyard.Tests.Providers.Sandbox;

public sealed class SandboxStreamingTests
{
    private const string Streamed = """{"model":"sandbox","stream":true,"messages":[{"role":"user","content":"Stream something."}]}""";

    private static async Task<List<string>> StreamAsync(string body, Action<Switchyard.Configuration.SandboxOptions>? configure = null)
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        await using UpstreamResponse response = await SendAsync(adapter, Deployment(adapter, configure), WireFormat.OpenAIChat, body);
        Assert.Equal(200, response.StatusCode);
        Assert.True(response.IsEventStream);
        return await ReadAllEventsAsync(response.Body);
    }

    [Fact]
    public async Task Stream_IsChunksWordByWord_EndingWithDone_WithoutUsage()
    {
        List<string> events = await StreamAsync(Streamed);

        Assert.Equal("data: [DONE]", events[^1]);
        JsonElement[] chunks = [.. events[..^1].Select(Data)];
        Assert.All(chunks, c =>
        {
            Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString());
            Assert.StartsWith("chatcmpl-sbx-", c.GetProperty("id").GetString(), StringComparison.Ordinal);
            Assert.Equal("fp_sandbox_simulated", c.GetProperty("system_fingerprint").GetString());
            Assert.False(c.TryGetProperty("usage", out _));
        });
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        string[] words = [.. chunks[1..^1].Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()!)];
        Assert.True(words.Length > 10);
        Assert.All(words[1..], w => Assert.Matches(@"^ \S+$", w));
        Assert.Equal(JsonValueKind.Null, chunks[1].GetProperty("choices")[0].GetProperty("finish_reason").ValueKind);
    }

    [Fact]
    public async Task IncludeUsage_AddsAFinalUsageChunk_AndNullUsageElsewhere()
    {
        string body = Streamed.Replace("\"stream\":true,", "\"stream\":true,\"stream_options\":{\"include_usage\":true},", StringComparison.Ordinal);

        List<string> events = await StreamAsync(body);

        JsonElement[] chunks = [.. events[..^1].Select(Data)];
        JsonElement last = chunks[^1];
        Assert.Equal(0, last.GetProperty("choices").GetArrayLength());
        string text = string.Concat(chunks[1..^2].Select(c => c.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        JsonElement usage = last.GetProperty("usage");
        Assert.Equal(TokenCounter.Count("user") + TokenCounter.Count("Stream something.") + 3 + 3, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(TokenCounter.Count(text), usage.GetProperty("completion_tokens").GetInt32());
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
    }

    [Fact]
    public async Task ToolCallStream_SendsNameFirst_ThenArgumentFragments()
    {
        const string Body = """
            {"stream":true,"messages":[{"role":"user","content":"find it"}],
             "tools":[{"type":"function","function":{"name":"search","parameters":{"type":"object","properties":{"query":{"type":"string","minLength":30}},"required":["query"]}}}]}
            """;

        List<string> events = await StreamAsync(Body);

        JsonElement[] deltas = [.. events[..^1].Select(e => Data(e).GetProperty("choices")[0])];
        JsonElement first = deltas[0].GetProperty("delta").GetProperty("tool_calls")[0];
        Assert.Equal(0, first.GetProperty("index").GetInt32());
        Assert.StartsWith("call_sbx_", first.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("function", first.GetProperty("type").GetString());
        Assert.Equal("search", first.GetProperty("function").GetProperty("name").GetString());
        string[] fragments = [.. deltas[1..^1].Select(d => d.GetProperty("delta").GetProperty("tool_calls")[0].GetProperty("function").GetProperty("arguments").GetString()!)];
        Assert.True(fragments.Length > 3);
        Assert.All(deltas[1..^1], d => Assert.False(d.GetProperty("delta").GetProperty("tool_calls")[0].TryGetProperty("id", out _)));
        using JsonDocument arguments = JsonDocument.Parse(string.Concat(fragments));
        Assert.True(arguments.RootElement.GetProperty("query").GetString()!.Length >= 30);
        Assert.Equal("tool_calls", deltas[^1].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task NChoices_AreInterleavedAndEachFinishes()
    {
        string body = Streamed.Replace("\"stream\":true,", "\"stream\":true,\"n\":2,", StringComparison.Ordinal);

        List<string> events = await StreamAsync(body);

        JsonElement[] choices = [.. events[..^1].Select(e => Data(e).GetProperty("choices")[0])];
        Assert.Equal(0, choices[0].GetProperty("index").GetInt32());
        Assert.Equal(1, choices[1].GetProperty("index").GetInt32());
        Assert.Equal(2, choices.Count(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.String));
    }

    [Fact]
    public async Task Delays_FirstChunkAfterTimeToFirstToken_ThenOneWordPerInterTokenDelay()
    {
        FakeTimeProvider time = new();
        SandboxAdapter adapter = new(time, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o =>
        {
            o.TimeToFirstToken = TimeSpan.FromSeconds(2);
            o.InterTokenDelay = TimeSpan.FromMilliseconds(100);
        });

        await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIChat, Streamed);
        SseReader reader = new(response.Body);

        Task<string?> first = reader.NextAsync(Ct);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        await Task.Delay(50, Ct);
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Contains("\"role\":\"assistant\"", await first.WaitAsync(TimeSpan.FromSeconds(10), Ct), StringComparison.Ordinal);

        // The first word comes with the role, as the first token.
        Assert.Contains("\"content\":", await reader.NextAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct), StringComparison.Ordinal);

        for (int word = 0; word < 3; word++)
        {
            Task<string?> next = reader.NextAsync(Ct);
            time.Advance(TimeSpan.FromMilliseconds(99));
            await Task.Delay(20, Ct);
            Assert.False(next.IsCompleted);
            time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.Contains("\"content\":\" ", await next.WaitAsync(TimeSpan.FromSeconds(10), Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NonStreamed_AnswerWaitsForTheWholeGeneration()
    {
        FakeTimeProvider time = new();
        SandboxAdapter adapter = new(time, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o => o.TimeToFirstToken = TimeSpan.FromSeconds(1));
        const string Body = """{"messages":[{"role":"user","content":"hi"}]}""";

        Task<UpstreamResponse> pending = SendAsync(adapter, deployment, WireFormat.OpenAIChat, Body).AsTask();
        await Task.Delay(20, Ct);
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        await using UpstreamResponse response = await pending.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task DisposingTheResponse_ReleasesTheStream()
    {
        FakeTimeProvider time = new();
        SandboxAdapter adapter = new(time, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o => o.InterTokenDelay = TimeSpan.FromSeconds(1));
        UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIChat, Streamed);
        SseReader reader = new(response.Body);
        Assert.NotNull(await reader.NextAsync(Ct));

        await response.DisposeAsync();

        // The producer, woken after the reader has gone, ends quietly instead of failing the process.
        time.Advance(TimeSpan.FromMinutes(5));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => _ = await response.Body.ReadAsync(new byte[16], Ct));
    }

    [Fact]
    public async Task CancellingTheCall_StopsProductionWithCancellation()
    {
        FakeTimeProvider time = new();
        SandboxAdapter adapter = new(time, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o => o.InterTokenDelay = TimeSpan.FromSeconds(1));
        using CancellationTokenSource call = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIChat, Streamed, call.Token);
        SseReader reader = new(response.Body);
        await reader.NextAsync(Ct);
        await reader.NextAsync(Ct);

        await call.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (await reader.NextAsync(Ct) is not null)
            {
            }
        });
    }
}
