using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Xunit;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;

namespace Switchyard.Tests.Providers.Sandbox;

public sealed class SandboxFaultTests
{
    private const string Chat = """{"messages":[{"role":"user","content":"hi"}]}""";
    private const string Streamed = """{"stream":true,"messages":[{"role":"user","content":"hi"}]}""";

    [Fact]
    public async Task ErrorRateOne_AnswersServerError()
    {
        (int status, JsonElement json) = await ChatAsync(Chat, o => o.ErrorRate = 1);

        Assert.Equal(500, status);
        Assert.Equal("sandbox: simulated server error", json.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("server_error", json.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task RateLimitRateOne_Answers429WithRetryAfter()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o =>
        {
            o.RateLimitRate = 1;
            o.RetryAfter = TimeSpan.FromSeconds(7);
        });

        await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIChat, Chat);

        Assert.Equal(429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.RetryAfter);
        using JsonDocument json = await JsonDocument.ParseAsync(response.Body, cancellationToken: Ct);
        Assert.Equal("rate_limit_exceeded", json.RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task RatesOfZero_NeverFault()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o =>
        {
            o.ErrorRate = 0;
            o.RateLimitRate = 0;
            o.HangRate = 0;
            o.CutStreamRate = 0;
        });

        for (int i = 0; i < 50; i++)
        {
            await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIChat, Streamed);
            Assert.Equal(200, response.StatusCode);
            Assert.Equal("data: [DONE]", (await ReadAllEventsAsync(response.Body))[^1]);
        }
    }

    [Fact]
    public async Task ErrorRate_IsStatisticallyRight_AndIndependentOfTheBody()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o => o.ErrorRate = 0.3);
        int errors = 0;
        for (int i = 0; i < 2000; i++)
        {
            await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIEmbeddings, """{"input":"same body","dimensions":2}""");
            errors += response.StatusCode == 500 ? 1 : 0;
        }

        Assert.InRange(errors, 480, 720);
    }

    [Fact]
    public async Task HangRateOne_NeverAnswersUntilCancelled()
    {
        FakeTimeProvider time = new();
        SandboxAdapter adapter = new(time, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o => o.HangRate = 1);
        using CancellationTokenSource call = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<UpstreamResponse> pending = SendAsync(adapter, deployment, WireFormat.OpenAIChat, Chat, call.Token).AsTask();
        time.Advance(TimeSpan.FromDays(1));
        await Task.Delay(20, Ct);
        Assert.False(pending.IsCompleted);

        await call.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(5)]
    public async Task CutStreamRateOne_ThrowsIOExceptionAfterNChunks(int chunks)
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o =>
        {
            o.CutStreamRate = 1;
            o.CutAfterChunks = chunks;
        });

        await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIChat, Streamed);

        Assert.Equal(200, response.StatusCode);
        SseReader reader = new(response.Body);
        List<string> received = [];
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            while (await reader.NextAsync(Ct) is { } e)
            {
                received.Add(e);
            }
        });
        Assert.Equal(chunks, received.Count);
    }

    [Fact]
    public async Task CutStream_AlsoCutsResponsesStreams()
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        var deployment = Deployment(adapter, o =>
        {
            o.CutStreamRate = 1;
            o.CutAfterChunks = 2;
        });

        await using UpstreamResponse response = await SendAsync(adapter, deployment, WireFormat.OpenAIResponses, """{"stream":true,"input":"hi"}""");

        await Assert.ThrowsAsync<IOException>(() => ReadAllEventsAsync(response.Body));
    }

    [Fact]
    public async Task CutStreamRate_LeavesNonStreamedAnswersWhole()
    {
        (int status, JsonElement json) = await ChatAsync(Chat, o => o.CutStreamRate = 1);

        Assert.Equal(200, status);
        Assert.Equal("stop", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }
}
