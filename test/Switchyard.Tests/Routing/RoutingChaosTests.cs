using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Routing.RoutingHarness;

namespace Switchyard.Tests.Routing;

/// <summary>
/// The chaos suite: real upstreams on 127.0.0.1 that fail in the ways providers do, and the gateway
/// routing around them. Each test asserts success rate, latency bound, breaker state and trace.
/// </summary>
public sealed class RoutingChaosTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_of_two_deployments_failing_30_percent_loses_no_call()
    {
        await using var healthy = await FakeUpstream.StartAsync();
        await using var faulty = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        faulty.Handler = FailingThirtyPercent();
        // Round robin sends half the first attempts to the faulty deployment whatever the machine's
        // load; the default strategy weighs latency, and on a busy machine it sent the faulty one so
        // few calls that fewer than 20 needed a retry.
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("healthy", healthy), ("faulty", faulty)),
            o => o.Routing.Strategy = LoadBalancing.RoundRobin));

        var succeeded = 0;
        var retried = 0;
        await Parallel.ForAsync(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, _) =>
        {
            using var response = await PostAsync(gateway, "m", stream: i % 2 == 0);
            var body = await response.Content.ReadAsStringAsync(Ct);
            if (response.StatusCode == HttpStatusCode.OK && (i % 2 != 0 || body.EndsWith("data: [DONE]\n\n", StringComparison.Ordinal)))
            {
                Interlocked.Increment(ref succeeded);
            }

            if (Header(response, "x-switchyard-attempts") == "2")
            {
                Interlocked.Increment(ref retried);
                Assert.Equal("healthy", Header(response, "x-switchyard-deployment"));
            }
        });

        Assert.Equal(400, succeeded);
        // About 30 % of the calls that went to the faulty one first. Each failure also cools it down for a
        // moment, and how many calls a cool-down covers depends on the machine's speed (a cold CI run saw
        // 6): at least one retry shows the path was taken; losing no call is what the test is about.
        Assert.InRange(retried, 1, 120);
        var deployments = await DeploymentsAsync(gateway);
        Assert.Equal("closed", Deployment(deployments, "faulty")["breaker"]!.GetValue<string>()); // 30 % < the 50 % failure ratio
    }

    [Fact]
    public async Task A_failed_attempt_is_on_the_trace_with_its_reason_and_the_retry_is_counted_in_metrics()
    {
        await using var healthy = await FakeUpstream.StartAsync();
        await using var faulty = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        faulty.Handler = Failing;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("healthy", healthy), ("faulty", faulty)),
            o => o.Routing.Strategy = LoadBalancing.RoundRobin));

        HttpResponseMessage? retried = null;
        for (var i = 0; i < 4 && retried is null; i++)
        {
            var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (Header(response, "x-switchyard-attempts") == "2")
            {
                retried = response;
            }
        }

        Assert.NotNull(retried);
        var attempts = await AttemptsAsync(gateway, retried);
        Assert.Equal(2, attempts.Count);
        Assert.Equal("faulty", attempts[0]!["deployment"]!.GetValue<string>());
        Assert.Equal(500, attempts[0]!["status"]!.GetValue<int>());
        Assert.Equal("server_error", attempts[0]!["reason"]!.GetValue<string>());
        Assert.Equal("healthy", attempts[1]!["deployment"]!.GetValue<string>());
        Assert.Equal(200, attempts[1]!["status"]!.GetValue<int>());
        Assert.False(attempts[1]!.AsObject().ContainsKey("waited_ms")); // another deployment: at once, no backoff

        var trace = System.Text.Json.Nodes.JsonNode.Parse(await ReadTraceAsync(gateway, Header(retried, "x-switchyard-trace-id")))!;
        var spans = trace["spans"]![0]!["children"]!.AsArray();
        Assert.Equal(2, spans.Count);
        Assert.Equal("attempt", spans[0]!["type"]!.GetValue<string>());
        Assert.Equal("server_error", spans[0]!["reason"]!.GetValue<string>());
        Assert.Equal("m", spans[0]!["model_group"]!.GetValue<string>());
        Assert.True(spans[1]!["start_offset_ms"]!.GetValue<double>() >= spans[0]!["start_offset_ms"]!.GetValue<double>() + spans[0]!["duration_ms"]!.GetValue<double>() - 1);

        await ScrapeUntilAsync(gateway, "switchyard_routing_retries_total\\{[^}]*reason=\"server_error\"");
        await ScrapeUntilAsync(gateway, "switchyard_routing_breaker_state\\{[^}]*deployment=\"faulty\"");
    }

    [Fact]
    public async Task A_429_storm_with_Retry_After_goes_to_the_other_deployment_and_cools_the_limited_one_down()
    {
        await using var healthy = await FakeUpstream.StartAsync();
        await using var limited = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        limited.Handler = (http, _) =>
        {
            http.Response.Headers["retry-after-ms"] = "30000";
            http.Response.Headers.RetryAfter = "30";
            return UpstreamReplies.Json(http, """{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}""", 429);
        };
        await using var gateway = await TestGateway.StartAsync(Group("m", ("healthy", healthy), ("limited", limited)));

        for (var i = 0; i < 30; i++)
        {
            using var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", Header(response, "x-switchyard-deployment"));
        }

        // One 429 put the deployment in cool-down for 30 s: no call went there after it.
        Assert.Single(limited.Received);
        var state = Deployment(await DeploymentsAsync(gateway), "limited");
        Assert.False(state["available"]!.GetValue<bool>());
        Assert.NotNull(state["cooldown_until"]);
    }

    [Fact]
    public async Task A_retry_of_the_same_deployment_waits_for_its_Retry_After()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var calls = 0;
        upstream.Handler = (http, request) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                http.Response.Headers["retry-after-ms"] = "400";
                return UpstreamReplies.Json(http, """{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}""", 429);
            }

            return Healthy(http, request);
        };
        await using var gateway = await TestGateway.StartAsync(Group("m", ("only", upstream)));

        var watch = Stopwatch.StartNew();
        using var response = await PostAsync(gateway, "m");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"answered after {watch.Elapsed.TotalMilliseconds} ms, before retry-after-ms");
        Assert.Equal("2", Header(response, "x-switchyard-attempts"));
        var attempts = await AttemptsAsync(gateway, response);
        Assert.True(attempts[1]!["waited_ms"]!.GetValue<double>() >= 390);
    }

    [Fact]
    public async Task A_Retry_After_longer_than_max_retry_wait_is_relayed_to_the_client_instead_of_waited()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = (http, _) =>
        {
            http.Response.Headers.RetryAfter = "120";
            return UpstreamReplies.Json(http, """{"error":{"message":"quota","type":"requests","code":"rate_limit_exceeded"}}""", 429);
        };
        await using var gateway = await TestGateway.StartAsync(Group("m", ("only", upstream)));

        var watch = Stopwatch.StartNew();
        using var response = await PostAsync(gateway, "m");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal("120", response.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("rate_limit_exceeded", (await GatewayApi.ErrorAsync(response))["code"]!.GetValue<string>());
        Assert.Single(upstream.Received);
    }

    [Fact]
    public async Task A_hanging_deployment_times_out_and_the_call_is_answered_by_the_other_within_the_bound()
    {
        await using var healthy = await FakeUpstream.StartAsync();
        await using var hanging = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        hanging.Handler = Hang;
        await using var gateway = await TestGateway.StartAsync(Group("m", d => d.Timeout = TimeSpan.FromMilliseconds(300), ("healthy", healthy), ("hanging", hanging)));

        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
            if (Header(response, "x-switchyard-attempts") == "2")
            {
                var attempts = await AttemptsAsync(gateway, response);
                Assert.Equal("timeout", attempts[0]!["reason"]!.GetValue<string>());
                Assert.Equal(504, attempts[0]!["status"]!.GetValue<int>());
            }
        }
    }

    [Fact]
    public async Task A_deployment_that_cannot_be_connected_to_gives_up_after_its_connect_timeout()
    {
        // A listener that never accepts, its backlog filled: Linux then drops further SYNs, so a connect
        // to it hangs, as one to a dead host does.
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var fillers = new List<System.Net.Sockets.Socket>();
        for (var i = 0; i < 4; i++)
        {
            var filler = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            fillers.Add(filler);
            _ = filler.ConnectAsync(IPAddress.Loopback, port, Ct).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Task.Delay(200, Ct);
        await using var healthy = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["m"] = new ModelGroupOptions
        {
            Deployments =
            [
                new DeploymentOptions { Name = "blackhole", Provider = "openai", Model = "m", BaseUrl = $"http://127.0.0.1:{port}/v1", ConnectTimeout = TimeSpan.FromMilliseconds(300) },
                new DeploymentOptions { Name = "healthy", Provider = "openai", Model = "m", BaseUrl = healthy.BaseUrl, Weight = 0 },
            ],
            MaxRetries = 0,
        });

        var watch = Stopwatch.StartNew();
        using var response = await PostAsync(gateway, "m");
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        var attempts = await AttemptsAsync(gateway, response);
        Assert.Equal("unreachable", attempts[0]!["reason"]!.GetValue<string>());
        Assert.Contains("timed out after 0.3 s", attempts[0]!["error"]!.GetValue<string>());
        fillers.ForEach(f => f.Dispose());
    }

    [Fact]
    public async Task Connection_resets_before_any_byte_are_retried_on_the_other_deployment()
    {
        await using var healthy = await FakeUpstream.StartAsync();
        await using var resetting = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        resetting.Handler = Reset;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("healthy", healthy), ("resetting", resetting)),
            o => o.Routing.Breaker.Enabled = false));

        for (var i = 0; i < 20; i++)
        {
            using var response = await PostAsync(gateway, "m", stream: i % 2 == 0);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", Header(response, "x-switchyard-deployment"));
        }

        Assert.NotEmpty(resetting.Received);
    }

    [Fact]
    public async Task A_stream_cut_after_its_first_chunks_ends_with_an_error_event_and_is_not_retried()
    {
        await using var cutting = await FakeUpstream.StartAsync();
        await using var healthy = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        cutting.Handler = async (http, _) =>
        {
            http.Response.ContentType = "text/event-stream";
            foreach (var chunk in UpstreamReplies.ChatChunks.Take(2))
            {
                await http.Response.WriteAsync($"data: {chunk}\n\n");
                await http.Response.Body.FlushAsync();
            }

            await Task.Delay(50);
            http.Abort();
        };
        await using var gateway = await TestGateway.StartAsync(Group("m", ("cutting", cutting)));

        var watch = Stopwatch.StartNew();
        using var response = await gateway.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("m", stream: true) }, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = "";
        try
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
            while (await reader.ReadLineAsync(Ct) is { } line)
            {
                body += line + "\n";
            }
        }
        catch (IOException)
        {
            // The gateway closes a failed stream without its final chunk after a grace period.
        }

        Assert.Contains("The upstream stream broke", body);
        Assert.DoesNotContain("[DONE]", body);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "a broken stream must end, not hang");
        Assert.Single(cutting.Received);
        Assert.Equal("1", Header(response, "x-switchyard-attempts"));
        var attempts = await AttemptsAsync(gateway, response);
        Assert.Single(attempts);
        Assert.Equal("broken", attempts[0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_slow_first_token_triggers_a_retry_on_the_other_deployment()
    {
        await using var slow = await FakeUpstream.StartAsync();
        await using var fast = await FakeUpstream.StartAsync();
        fast.Handler = Healthy;
        slow.Handler = async (http, request) =>
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), http.RequestAborted);
                await Healthy(http, request);
            }
            catch (OperationCanceledException)
            {
            }
        };
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", d => d.FirstTokenTimeout = TimeSpan.FromMilliseconds(150), ("slow", slow), ("fast", fast)),
            o => o.Routing.Strategy = LoadBalancing.RoundRobin));

        var sawRetry = false;
        for (var i = 0; i < 4; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await PostAsync(gateway, "m", stream: true);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.EndsWith("data: [DONE]\n\n", await response.Content.ReadAsStringAsync(Ct));
            Assert.Equal("fast", Header(response, "x-switchyard-deployment"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {watch.Elapsed}");
            if (Header(response, "x-switchyard-attempts") == "2")
            {
                sawRetry = true;
                var attempts = await AttemptsAsync(gateway, response);
                Assert.Equal("first_token_timeout", attempts[0]!["reason"]!.GetValue<string>());
            }
        }

        Assert.True(sawRetry);
    }

    [Fact]
    public async Task A_stream_that_goes_silent_past_the_idle_timeout_ends_with_an_error_event()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = OneChunkThenSilence();
        await using var gateway = await TestGateway.StartAsync(Group("m", d => d.IdleTimeout = TimeSpan.FromMilliseconds(300), ("silent", upstream)));

        var watch = Stopwatch.StartNew();
        using var response = await gateway.Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("m", stream: true) }, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var text = "";
        try
        {
            while (await reader.ReadLineAsync(Ct) is { } line)
            {
                text += line + "\n";
                if (line.Contains("went silent", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
        }

        Assert.Contains("went silent for more than 0.3 s", text);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        var attempts = await AttemptsAsync(gateway, response);
        Assert.Equal("idle_timeout", attempts[0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_whole_provider_down_falls_back_to_the_next_group()
    {
        await using var down1 = await FakeUpstream.StartAsync();
        await using var down2 = await FakeUpstream.StartAsync();
        await using var backup = await FakeUpstream.StartAsync();
        down1.Handler = Failing;
        down2.Handler = Reset;
        backup.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("primary", ("p1", down1), ("p2", down2)),
            Group("backup", ("b1", backup)),
            o => o.ModelGroups["primary"].Fallbacks = ["backup"],
            o => o.Routing.RetryBaseDelay = TimeSpan.FromMilliseconds(5)));

        for (var i = 0; i < 10; i++)
        {
            using var response = await PostAsync(gateway, "primary", stream: i % 2 == 1);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("b1", Header(response, "x-switchyard-deployment"));
            Assert.Equal("backup", Header(response, "x-switchyard-fallback"));
        }

        await ScrapeUntilAsync(gateway, "switchyard_routing_fallbacks_total\\{[^}]*to=\"backup\"");
    }

    [Fact]
    public async Task Fallbacks_can_be_switched_off_or_named_per_request()
    {
        await using var down = await FakeUpstream.StartAsync();
        await using var a = await FakeUpstream.StartAsync();
        await using var b = await FakeUpstream.StartAsync();
        down.Handler = Failing;
        a.Handler = Healthy;
        b.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("primary", ("down", down)),
            Group("a", ("a1", a)),
            Group("b", ("b1", b)),
            o => o.ModelGroups["primary"].Fallbacks = ["a"],
            o => o.Routing.MaxRetries = 0));

        using (var response = await PostAsync(gateway, "primary", false, ("x-switchyard-fallbacks", "off")))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        using (var response = await PostAsync(gateway, "primary", false, ("x-switchyard-fallbacks", "b")))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("b1", Header(response, "x-switchyard-deployment"));
        }

        using (var response = await PostAsync(gateway, "primary"))
        {
            Assert.Equal("a1", Header(response, "x-switchyard-deployment"));
        }

        using (var response = await PostAsync(gateway, "primary", false, ("x-switchyard-fallbacks", "nope, a")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'nope' is not a model group", (await GatewayApi.ErrorAsync(response))["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_key_cannot_name_a_fallback_group_it_may_not_use()
    {
        await using var up = await FakeUpstream.StartAsync();
        up.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(All(Group("cheap", ("c", up)), Group("dear", ("d", up))), anonymous: false);
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"cheap-only","models":["cheap"]}""");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("cheap") };
        request.Headers.Authorization = new("Bearer", secret);
        request.Headers.Add("x-switchyard-fallbacks", "dear");
        using var response = await gateway.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("may not use the model group 'dear'", (await GatewayApi.ErrorAsync(response))["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Context_window_and_content_policy_refusals_go_to_their_own_fallback_lists_and_are_never_retried()
    {
        await using var small = await FakeUpstream.StartAsync();
        await using var large = await FakeUpstream.StartAsync();
        await using var lenient = await FakeUpstream.StartAsync();
        small.Handler = (http, request) => request.Body.Contains("long", StringComparison.Ordinal)
            ? UpstreamReplies.Json(http, """{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}""", 400)
            : UpstreamReplies.Json(http, """{"error":{"message":"Your request was rejected as a result of our safety system.","type":"invalid_request_error","code":"content_policy_violation"}}""", 400);
        large.Handler = Healthy;
        lenient.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("small", ("small-1", small)),
            Group("large", ("large-1", large)),
            Group("lenient", ("lenient-1", lenient)),
            o => o.ModelGroups["small"].ContextWindowFallbacks = ["large"],
            o => o.ModelGroups["small"].ContentPolicyFallbacks = ["lenient"]));

        using (var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"small","messages":[{"role":"user","content":"a long text"}]}""", System.Text.Encoding.UTF8, "application/json"), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("large-1", Header(response, "x-switchyard-deployment"));
            var attempts = await AttemptsAsync(gateway, response);
            Assert.Equal("context_window", attempts[0]!["reason"]!.GetValue<string>());
        }

        using (var response = await PostAsync(gateway, "small"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("lenient-1", Header(response, "x-switchyard-deployment"));
        }

        Assert.Equal(2, small.Received.Count); // one try each: a refusal is never retried
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task Client_errors_are_relayed_without_retry_or_fallback(int status)
    {
        await using var refusing = await FakeUpstream.StartAsync();
        await using var backup = await FakeUpstream.StartAsync();
        refusing.Handler = (http, _) => UpstreamReplies.Json(http, """{"error":{"message":"no","type":"invalid_request_error","code":"nope"}}""", status);
        backup.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("refusing", refusing)),
            Group("b", ("backup", backup)),
            o => o.ModelGroups["m"].Fallbacks = ["b"]));

        using var response = await PostAsync(gateway, "m");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("1", Header(response, "x-switchyard-attempts"));
        Assert.Single(refusing.Received);
        Assert.Empty(backup.Received);
    }

    [Fact]
    public async Task A_breaker_opens_takes_the_deployment_out_then_a_half_open_probe_closes_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var healthy = await FakeUpstream.StartAsync();
        await using var flaky = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        var broken = true;
        flaky.Handler = (http, request) => Volatile.Read(ref broken) ? Failing(http, request) : Healthy(http, request);
        await using var gateway = await TestGateway.StartAsync(
            All(
                Group("m", ("healthy", healthy), ("flaky", flaky)),
                o => o.Routing.Strategy = LoadBalancing.RoundRobin,
                o => o.Routing.Breaker.MinimumThroughput = 4,
                o => o.Routing.Breaker.BreakDuration = TimeSpan.FromSeconds(30)),
            services: s => s.AddSingleton<TimeProvider>(time));

        for (var i = 0; i < 12; i++)
        {
            using var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var state = Deployment(await DeploymentsAsync(gateway), "flaky");
        Assert.Equal("open", state["breaker"]!.GetValue<string>());
        Assert.False(state["available"]!.GetValue<bool>());
        var seen = flaky.Received.Count;
        for (var i = 0; i < 10; i++)
        {
            using var response = await PostAsync(gateway, "m");
            Assert.Equal("1", Header(response, "x-switchyard-attempts"));
        }

        Assert.Equal(seen, flaky.Received.Count); // out of balancing: not even tried

        Volatile.Write(ref broken, false);
        time.Advance(TimeSpan.FromSeconds(31));
        for (var i = 0; i < 6; i++)
        {
            using var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.True(flaky.Received.Count > seen, "the half-open probe reached the recovered deployment");
        Assert.Equal("closed", Deployment(await DeploymentsAsync(gateway), "flaky")["breaker"]!.GetValue<string>());
        await ScrapeUntilAsync(gateway, "switchyard_routing_breaker_transitions_total\\{[^}]*deployment=\"flaky\"[^}]*state=\"open\"");
        await ScrapeUntilAsync(gateway, "switchyard_routing_breaker_transitions_total\\{[^}]*deployment=\"flaky\"[^}]*state=\"closed\"");
    }

    [Fact]
    public async Task Every_deployment_out_answers_503_at_once_with_when_to_come_back()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var down = await FakeUpstream.StartAsync();
        down.Handler = Failing;
        await using var gateway = await TestGateway.StartAsync(
            All(Group("m", ("down", down)), o => o.Routing.Breaker.MinimumThroughput = 2, o => o.Routing.MaxRetries = 0),
            services: s => s.AddSingleton<TimeProvider>(time));

        for (var i = 0; i < 3; i++)
        {
            using var _ = await PostAsync(gateway, "m");
        }

        using var response = await PostAsync(gateway, "m");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no_healthy_deployment", (await GatewayApi.ErrorAsync(response))["code"]!.GetValue<string>());
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 30);
    }

    [Fact]
    public async Task The_retry_budget_stops_a_retry_storm_when_a_provider_is_down()
    {
        await using var down = await FakeUpstream.StartAsync();
        down.Handler = Failing;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("d1", down), ("d2", down), ("d3", down)),
            o => o.Routing.Breaker.Enabled = false,
            o => o.Routing.RetryBudget.Ratio = 0.1,
            o => o.Routing.RetryBudget.MinPerSecond = 0));

        for (var i = 0; i < 50; i++)
        {
            using var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        // Without a budget: 50 calls × 3 attempts = 150. With 10 %: about 50 + 5.
        Assert.InRange(down.Received.Count, 50, 60);
        await ScrapeUntilAsync(gateway, "switchyard_routing_retry_budget_exhausted_total");
    }

    [Fact]
    public async Task The_caller_deadline_bounds_the_whole_call_and_a_bad_value_is_refused()
    {
        await using var hanging = await FakeUpstream.StartAsync();
        hanging.Handler = Hang;
        await using var gateway = await TestGateway.StartAsync(Group("m", ("hanging", hanging)));

        var watch = Stopwatch.StartNew();
        using (var response = await PostAsync(gateway, "m", false, ("x-switchyard-timeout", "0.4")))
        {
            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.Elapsed}");
        }

        foreach (var bad in (string[])["soon", "-1", "0", "NaN", "1e9"])
        {
            using var response = await PostAsync(gateway, "m", false, ("x-switchyard-timeout", bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("x-switchyard-timeout:", (await GatewayApi.ErrorAsync(response))["message"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_client_that_hangs_up_cancels_the_upstream_call_and_frees_its_slot()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var cancelled = new TaskCompletionSource();
        upstream.Handler = OneChunkThenSilence(cancelled);
        await using var gateway = await TestGateway.StartAsync(Group("m", ("slow", upstream)));

        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            using var response = await gateway.Client.SendAsync(
                new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat("m", stream: true) }, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            await stream.ReadAtLeastAsync(new byte[64], 1, throwOnEndOfStream: false, cts.Token);
            Assert.Equal(1, Deployment(await DeploymentsAsync(gateway), "slow")["in_flight"]!.GetValue<int>());
            cts.Cancel();
        }

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Deployment(await DeploymentsAsync(gateway), "slow")["in_flight"]!.GetValue<int>() != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.Equal(0, Deployment(await DeploymentsAsync(gateway), "slow")["in_flight"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_sandbox_fault_knobs_drive_the_same_routing()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["s"] = new ModelGroupOptions
        {
            Deployments =
            [
                new DeploymentOptions { Name = "erratic", Provider = "sandbox", Model = "s", Sandbox = { ErrorRate = 0.3 } },
                new DeploymentOptions { Name = "steady", Provider = "sandbox", Model = "s" },
            ],
        });

        var ok = 0;
        for (var i = 0; i < 100; i++)
        {
            using var response = await PostAsync(gateway, "s", stream: i % 3 == 0);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                ok++;
            }
        }

        Assert.Equal(100, ok);
    }

    private static async Task<string> ReadTraceAsync(TestGateway gateway, string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/traces/{traceId}");
        request.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await gateway.Client.SendAsync(request.Clone(), Ct);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadAsStringAsync(Ct);
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("trace not recorded");
            }

            await Task.Delay(20, Ct);
        }
    }
}

internal static class RequestCloning
{
    public static HttpRequestMessage Clone(this HttpRequestMessage request)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri);
        foreach (var header in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        return clone;
    }
}
