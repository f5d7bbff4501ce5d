using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Switchyard.Configuration;
using Switchyard.Spend.Alerts;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Spend;

public sealed class WebhookSenderTests
{
    private const string SecretPath = "/services/T000/B000/SECRETSECRET";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerErrors_AreRetried_ThenDelivered()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        var calls = 0;
        receiver.Handler = (http, _) =>
        {
            http.Response.StatusCode = Interlocked.Increment(ref calls) switch { 1 => 500, 2 => 429, _ => 204 };
            return Task.CompletedTask;
        };
        var logger = new ListLogger<WebhookSender>();
        using var sender = Sender(allowPrivate: true, logger);

        var result = await sender.SendAsync(Webhook(receiver.BaseUrl + SecretPath), "{}"u8.ToArray(), maxAttempts: 4, Ct);

        Assert.True(result.Delivered, result.Error);
        Assert.Equal((3, 204), (result.Attempts, result.Status));
        Assert.Equal(3, receiver.Received.Count);
        Assert.Equal(2, logger.Lines.Count);
        Assert.All(logger.Lines, line => Assert.DoesNotContain("SECRET", line));
        Assert.Contains(logger.Lines, line => line.Contains(receiver.BaseUrl, StringComparison.Ordinal) && line.Contains("HTTP 500", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RequestCarriesJsonContentTypeAndConfiguredHeaders()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => Task.CompletedTask;
        using var sender = Sender(allowPrivate: true);
        var webhook = new WebhookOptions { Url = new Uri(receiver.BaseUrl + "/hook"), Headers = { ["Authorization"] = "Bearer t0k3n", ["X-Team"] = "finops" } };

        var result = await sender.SendAsync(webhook, """{"a":1}"""u8.ToArray(), maxAttempts: 1, Ct);

        Assert.True(result.Delivered, result.Error);
        var request = receiver.Last;
        Assert.Equal(("POST", "/hook", """{"a":1}"""), (request.Method, request.PathAndQuery, request.Body));
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal("Bearer t0k3n", request.Headers["Authorization"]);
        Assert.Equal("finops", request.Headers["X-Team"]);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(302)]
    public async Task OtherAnswers_AreFinal(int status)
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) =>
        {
            http.Response.StatusCode = status;
            http.Response.Headers.Location = "http://169.254.169.254/";
            return Task.CompletedTask;
        };
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Webhook(receiver.BaseUrl), "{}"u8.ToArray(), maxAttempts: 4, Ct);

        Assert.False(result.Delivered);
        Assert.Equal((1, status, $"HTTP {status}"), (result.Attempts, result.Status, result.Error));
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task PersistentFailure_GivesUpAfterMaxAttempts()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) =>
        {
            http.Response.StatusCode = 503;
            return Task.CompletedTask;
        };
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Webhook(receiver.BaseUrl), "{}"u8.ToArray(), maxAttempts: 3, Ct);

        Assert.False(result.Delivered);
        Assert.Equal((3, 503, "HTTP 503"), (result.Attempts, result.Status, result.Error));
    }

    [Fact]
    public async Task SlowReceiver_TimesOut_AndIsRetried()
    {
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => Task.Delay(TimeSpan.FromSeconds(5), http.RequestAborted);
        using var sender = Sender(allowPrivate: true, timeout: TimeSpan.FromMilliseconds(200));

        var result = await sender.SendAsync(Webhook(receiver.BaseUrl), "{}"u8.ToArray(), maxAttempts: 2, Ct);

        Assert.False(result.Delivered);
        Assert.Equal(2, result.Attempts);
        Assert.Contains("no answer within 0.2s", result.Error);
    }

    [Fact]
    public async Task ConnectionRefused_IsRetried_AndReportedWithoutThePath()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Webhook($"http://127.0.0.1:{port}{SecretPath}"), "{}"u8.ToArray(), maxAttempts: 2, Ct);

        Assert.False(result.Delivered);
        Assert.Equal(2, result.Attempts);
        Assert.StartsWith("ConnectionError", result.Error);
        Assert.DoesNotContain("SECRET", result.Error);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task AHostResolvingToARefusedAddress_IsRefusedAtConnect(string host)
    {
        // The URL never went through configuration checks (as if DNS changed after start): the
        // connect-time check alone must stop it, and no retry follows.
        await using var receiver = await FakeUpstream.StartAsync();
        receiver.Handler = (http, _) => Task.CompletedTask;
        var port = new Uri(receiver.BaseUrl).Port;
        using var sender = Sender(allowPrivate: false);

        var result = await sender.SendAsync(Webhook($"http://{host}:{port}/hook"), "{}"u8.ToArray(), maxAttempts: 3, Ct);

        Assert.False(result.Delivered);
        Assert.Equal(1, result.Attempts);
        Assert.Contains("refused", result.Error);
        Assert.Contains("loopback", result.Error);
        Assert.Empty(receiver.Received);

        using var allowing = Sender(allowPrivate: true);
        Assert.True((await allowing.SendAsync(Webhook($"http://{host}:{port}/hook"), "{}"u8.ToArray(), maxAttempts: 1, Ct)).Delivered);
    }

    private static WebhookSender Sender(bool allowPrivate, ListLogger<WebhookSender>? logger = null, TimeSpan? timeout = null) => new(
        new AlertOptions { AllowPrivateTargets = allowPrivate, RetryDelay = TimeSpan.FromMilliseconds(10), Timeout = timeout ?? TimeSpan.FromSeconds(5) },
        TimeProvider.System,
        Switchyard.Hosting.RandomSource.Seeded(7),
        (Microsoft.Extensions.Logging.ILogger<WebhookSender>?)logger ?? NullLogger<WebhookSender>.Instance);

    private static WebhookOptions Webhook(string url) => new() { Url = new Uri(url) };
}
