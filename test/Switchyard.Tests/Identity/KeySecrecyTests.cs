using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Recording;
using Switchyard.Spend;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

public sealed class KeySecrecyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_secret_never_reaches_logs_traces_storage_or_API_answers_after_creation()
    {
        var logs = new CapturingLoggerProvider();
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<ILoggerProvider>(logs));
        var (id, secret) = await gateway.CreateKeyAsync("""{"name":"secret-keeper","scopes":["inference","read","feedback","ingest"],"limits":{"rpm":1}}""");
        var (_, rotated, _) = await gateway.SendAsync(HttpMethod.Post, $"/api/keys/{id}/rotate", """{"grace":"1h"}""");
        var fresh = rotated!["key"]!.GetValue<string>();

        // Use both secrets in every way a client might: success, rate limited, bad model, x-api-key, feedback, OTLP.
        var ok = await gateway.ChatAsync(secret);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var traceId = ok.Headers.GetValues("x-switchyard-trace-id").Single();
        Assert.Equal(HttpStatusCode.TooManyRequests, (await gateway.ChatAsync(fresh)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.ChatAsync(fresh, "no-such-model")).StatusCode);
        await gateway.SendAsync(HttpMethod.Post, "/api/feedback", $$"""{"trace_id":"{{traceId}}","value":"up"}""", fresh);
        await gateway.SendAsync(HttpMethod.Post, "/v1/traces", "{not json", secret);
        await gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{id}");
        var revoked = await gateway.ChatAsync(fresh);

        var answers = new StringBuilder(await revoked.Content.ReadAsStringAsync(Ct));
        await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        await gateway.Services.GetRequiredService<SpendLedger>().FlushAsync(Ct);
        foreach (var path in new[] { "/api/keys?include_revoked=true", $"/api/keys/{id}", "/api/traces", "/api/traces/export", $"/api/traces/{traceId}", "/api/spend?group_by=key" })
        {
            var (status, _, response) = await gateway.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, status);
            answers.Append(await response.Content.ReadAsStringAsync(Ct));
        }

        await gateway.StopAsync();
        var stored = new StringBuilder();
        foreach (var file in Directory.GetFiles(gateway.DataDirectory))
        {
            stored.Append(Encoding.Latin1.GetString(await File.ReadAllBytesAsync(file, Ct)));
        }

        foreach (var key in new[] { secret, fresh })
        {
            Assert.DoesNotContain(key, answers.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(key, logs.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(key, stored.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(key[3..20], stored.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains(id, answers.ToString(), StringComparison.Ordinal); // The id is what identifies a key everywhere.
    }

    [Fact]
    public async Task Daily_budgets_reset_at_midnight_in_the_configured_time_zone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 22, 30, 0, TimeSpan.Zero)); // 23:30 in Paris
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) => UpstreamReplies.Json(http, """{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1000,"total_tokens":1005}}""");
        await using var gateway = await TestGateway.StartAsync(o =>
        {
            TestGateway.Upstream("priced", "openai", upstream, d => d.Model = "gpt-4o")(o);
            o.Limits.BudgetTimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
        }, anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (id, secret) = await gateway.CreateKeyAsync("""{"name":"daily","budget":{"max_usd":0.015,"window":"daily"}}""");

        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        Assert.Equal(HttpStatusCode.PaymentRequired, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        var spend = (await gateway.SendAsync(HttpMethod.Get, $"/api/keys/{id}")).Body!["spend"]!;
        Assert.Equal("2026-11-27T23:00:00.000Z", spend["window_end"]!.GetValue<string>());

        time.Advance(TimeSpan.FromMinutes(29)); // 23:59 in Paris: still the same day
        Assert.Equal(HttpStatusCode.PaymentRequired, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        time.Advance(TimeSpan.FromMinutes(1)); // midnight in Paris, 23:00 UTC: a new day
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret, "priced", maxTokens: 1000)).StatusCode);
        Assert.Equal("0.0100125", (await gateway.SendAsync(HttpMethod.Get, $"/api/keys/{id}")).Body!["spend"]!["spent_usd"]!.GetValue<string>());
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public string Text => string.Join('\n', _lines);

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + exception);
        }
    }
}
