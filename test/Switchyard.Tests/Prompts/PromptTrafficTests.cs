using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Prompts.Traffic;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>A/B experiments and canary rollouts on a prompt label, through a real gateway on the sandbox and a fake clock.</summary>
public sealed class PromptTrafficTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 9, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_experiment_splits_users_by_weight_keeps_each_user_on_one_variant_across_a_restart_and_reports_per_variant()
    {
        var data = TestGateway.NewDataDirectory();
        var first = new Dictionary<string, string>();
        try
        {
            await using (var gateway = await TestGateway.StartAsync(dataDirectory: data))
            {
                await PushTwoVersionsAsync(gateway);
                var (status, created, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts/greet/experiments", """
                    {"label":"production","variants":[{"name":"a","version":1,"weight":50},{"name":"b","version":2,"weight":50}],"min_sample":50}
                    """);
                Assert.Equal(HttpStatusCode.Created, status);
                var id = created!["id"]!.GetValue<string>();
                var (conflict, _, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts/greet/experiments", """{"variants":[{"version":1,"weight":1},{"version":2,"weight":1}]}""");
                Assert.Equal(HttpStatusCode.Conflict, conflict);

                foreach (var user in Enumerable.Range(0, 400).Select(i => $"user-{i}"))
                {
                    first[user] = await VariantAsync(gateway, user);
                }

                // Feedback on every call of variant b, none of a: the report shows it per variant.
                var (_, traces, _) = await gateway.SendAsync(HttpMethod.Get, "/api/traces?prompt=greet&variant=b&limit=1000");
                foreach (var trace in traces!["data"]!.AsArray())
                {
                    var (scored, _, _) = await gateway.SendAsync(HttpMethod.Post, "/api/feedback", $$"""{"trace_id":"{{trace!["trace_id"]!.GetValue<string>()}}","value":1}""");
                    Assert.True(scored is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.Accepted, scored.ToString());
                }

                var report = await ReportAsync(gateway, "/api/experiments/" + id, 400);
                var a = report["variants"]![0]!;
                var b = report["variants"]![1]!;
                Assert.Equal(first.Values.Count(v => v == "a"), a["calls"]!.GetValue<int>());
                Assert.Equal(first.Values.Count(v => v == "b"), b["calls"]!.GetValue<int>());
                Assert.InRange(a["calls"]!.GetValue<int>(), 150, 250);
                Assert.Equal(1.0, b["positive_feedback_rate"]!.GetValue<double>());
                Assert.Null(a["positive_feedback_rate"]);
            }

            await using (var restarted = await TestGateway.StartAsync(dataDirectory: data))
            {
                foreach (var user in first.Keys.Take(100))
                {
                    Assert.Equal(first[user], await VariantAsync(restarted, user));
                }

                var (_, list, _) = await restarted.SendAsync(HttpMethod.Get, "/api/prompts/greet/experiments");
                var id = list!["data"]![0]!["id"]!.GetValue<string>();
                var (decided, body, _) = await restarted.SendAsync(HttpMethod.Post, $"/api/experiments/{id}/decide", """{"winner":"b"}""");
                Assert.Equal(HttpStatusCode.OK, decided);
                Assert.Equal("decided", body!["status"]!.GetValue<string>());
                var (_, label, _) = await restarted.SendAsync(HttpMethod.Get, "/api/prompts/greet/labels/production");
                Assert.Equal(2, label!["version"]!.GetValue<int>());
                using var after = await CallAsync(restarted, "user-1");
                Assert.Equal("greet@2; label=production", after.Headers.GetValues("x-switchyard-prompt").Single());
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void Assignment_over_ten_thousand_users_is_within_two_percent_of_the_weights_and_a_growing_canary_only_gains_users()
    {
        var experiment = new TrafficSplit { Id = "exp_1", Kind = SplitKind.Experiment, Prompt = "p", Label = "production", CreatedAt = T0, CreatedBy = "admin" };
        foreach (var weights in new[] { new[] { 50, 50 }, [90, 10], [20, 30, 50] })
        {
            var arms = weights.Select((w, i) => new TrafficVariant($"v{i}", i + 1, w)).ToArray();
            var counts = new int[arms.Length];
            for (var user = 0; user < 10_000; user++)
            {
                counts[Array.IndexOf(arms, TrafficAssignment.Pick(experiment, arms, $"u:{user}"))]++;
            }

            for (var i = 0; i < arms.Length; i++)
            {
                Assert.InRange(counts[i] / 10_000.0, (weights[i] / 100.0) - 0.02, (weights[i] / 100.0) + 0.02);
            }
        }

        var rollout = experiment with { Id = "rol_1", Kind = SplitKind.Rollout, FromVersion = 1, ToVersion = 2, Steps = [5, 50, 100] };
        var atFive = Enumerable.Range(0, 10_000).Where(u => TrafficAssignment.Pick(rollout, rollout.Arms(), $"u:{u}").Name == "canary").ToHashSet();
        var atFifty = Enumerable.Range(0, 10_000).Where(u => TrafficAssignment.Pick(rollout with { StepIndex = 1 }, (rollout with { StepIndex = 1 }).Arms(), $"u:{u}").Name == "canary").ToHashSet();
        Assert.InRange(atFive.Count, 300, 700);
        Assert.True(atFive.IsSubsetOf(atFifty));
    }

    [Fact]
    public async Task A_canary_whose_version_fails_is_rolled_back_at_five_percent_naming_the_gate_and_alerting()
    {
        var time = new FakeTimeProvider(T0);
        await using var hook = await FakeUpstream.StartAsync();
        hook.Handler = (http, _) => UpstreamReplies.Json(http, "{}");
        await using var gateway = await TestGateway.StartAsync(options =>
        {
            options.ModelGroups["broken"] = new ModelGroupOptions
            {
                MaxRetries = 0,
                Deployments = [new DeploymentOptions { Name = "broken", Provider = "sandbox", Model = "sandbox", Sandbox = new SandboxOptions { ErrorRate = 1.0 } }],
            };
            options.Alerts.AllowPrivateTargets = true;
            options.Alerts.Webhooks.Add(new WebhookOptions { Url = new Uri(hook.BaseUrl + "/hook") });
        }, services: s => s.AddSingleton<TimeProvider>(time));
        await gateway.CreateAsync("/api/prompts", """{"name":"greet","prompt":"Hello {{name}}","variables":[{"name":"name","default":"you"}],"model":"sandbox","labels":["production"]}""");
        await gateway.CreateAsync("/api/prompts", """{"name":"greet","prompt":"Hi {{name}}","variables":[{"name":"name","default":"you"}],"model":"broken"}""");
        var (status, created, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts/greet/rollouts", """{"version":2,"steps":[5,50,100],"min_calls":20,"interval":"30m"}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var id = created!["id"]!.GetValue<string>();

        var errors = 0;
        for (var user = 0; user < 300; user++)
        {
            using var response = await CallAsync(gateway, $"user-{user}");
            errors += response.IsSuccessStatusCode ? 0 : 1;
        }

        Assert.InRange(errors, 5, 30); // about 5 % of the users are on the failing canary
        await RecordedCalls.WaitForCountAsync(gateway, 300, Ct);
        var decided = await gateway.Services.GetRequiredService<RolloutService>().CheckAsync(Ct);

        Assert.Equal(Switchyard.Prompts.Rollouts.RolloutDecisionKind.RollBack, decided.Single().Decision.Kind);
        var (_, rollout, _) = await gateway.SendAsync(HttpMethod.Get, "/api/rollouts/" + id);
        Assert.Equal("failed", rollout!["status"]!.GetValue<string>());
        Assert.Contains("gate error_rate", rollout["failure"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(5, rollout["percent"]!.GetValue<int>());
        var (_, label, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/greet/labels/production");
        Assert.Equal(1, label!["version"]!.GetValue<int>());
        using (var after = await CallAsync(gateway, "user-0"))
        {
            Assert.Equal("greet@1; label=production", after.Headers.GetValues("x-switchyard-prompt").Single()); // no variant: nothing runs now
        }

        var alert = JsonNode.Parse(hook.Received.Single(r => r.PathAndQuery.StartsWith("/hook", StringComparison.Ordinal)).Body)!;
        Assert.Equal("prompt.rollout_failed", alert["type"]!.GetValue<string>());
        Assert.Equal(id, alert["rollout"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_healthy_canary_advances_only_after_its_interval_and_reaches_all_traffic()
    {
        var time = new FakeTimeProvider(T0);
        await using var gateway = await TestGateway.StartAsync(services: s => s.AddSingleton<TimeProvider>(time));
        await PushTwoVersionsAsync(gateway);
        var (_, created, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts/greet/rollouts", """{"version":2,"steps":[5,50,100],"min_calls":10,"interval":"30m"}""");
        var id = created!["id"]!.GetValue<string>();
        var service = gateway.Services.GetRequiredService<RolloutService>();
        var calls = 0;

        // The service also checks on its own timer, which the fake clock drives; each check here is one more
        // pass, and the state is read from the API, whichever pass acted.
        async Task<(string Status, int Percent)> StepAsync(int users)
        {
            for (var user = 0; user < users; user++)
            {
                using var response = await CallAsync(gateway, $"user-{user}");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            calls += users;
            await RecordedCalls.WaitForCountAsync(gateway, calls, Ct);
            await service.CheckAsync(Ct);
            var (_, rollout, _) = await gateway.SendAsync(HttpMethod.Get, "/api/rollouts/" + id);
            return (rollout!["status"]!.GetValue<string>(), rollout["percent"]!.GetValue<int>());
        }

        Assert.Equal(("running", 5), await StepAsync(400)); // gates hold, but the 30 minutes have not passed
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(("running", 50), await StepAsync(0));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(("running", 50), await StepAsync(60));
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal("succeeded", (await StepAsync(0)).Status);

        var (_, done, _) = await gateway.SendAsync(HttpMethod.Get, "/api/rollouts/" + id);
        Assert.Equal("succeeded", done!["status"]!.GetValue<string>());
        var (_, label, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/greet/labels/production");
        Assert.Equal(2, label!["version"]!.GetValue<int>());
        var (_, history, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/greet/history");
        Assert.StartsWith("rollout:", history!["data"]![0]!["actor"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/prompts/greet/experiments", """{"variants":[{"version":1,"weight":50}]}""", "at least two")]
    [InlineData("/api/prompts/greet/experiments", """{"variants":[{"version":1,"weight":50},{"version":9,"weight":50}]}""", "variants[1].version")]
    [InlineData("/api/prompts/greet/experiments", """{"variants":[{"version":1,"weight":-1},{"version":2,"weight":50}]}""", "variants[0].weight")]
    [InlineData("/api/prompts/greet/experiments", """{"variants":[{"version":1,"weight":1},{"version":2,"weight":1}],"unit":"planet"}""", "unit")]
    [InlineData("/api/prompts/greet/experiments", """{"variants":[{"version":1,"weight":1,"model":"nope"},{"version":2,"weight":1}]}""", "variants[0].model")]
    [InlineData("/api/prompts/greet/rollouts", """{"version":2,"steps":[50,5,100]}""", "steps")]
    [InlineData("/api/prompts/greet/rollouts", """{"version":2,"steps":[5,50]}""", "steps")]
    [InlineData("/api/prompts/greet/rollouts", """{"version":1}""", "already points")]
    [InlineData("/api/prompts/greet/rollouts", """{"version":2,"interval":"soon"}""", "interval")]
    [InlineData("/api/prompts/greet/rollouts", """{"version":2,"gates":{"max_error_rate":2}}""", "gates")]
    [InlineData("/api/prompts/greet/rollouts", """{"version":"2"}""", "version")]
    public async Task Bad_experiments_and_rollouts_are_refused_naming_the_field(string path, string body, string names)
    {
        await using var gateway = await TestGateway.StartAsync();
        await PushTwoVersionsAsync(gateway);

        var (status, error, _) = await gateway.SendAsync(HttpMethod.Post, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(names, error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task PushTwoVersionsAsync(TestGateway gateway)
    {
        await gateway.CreateAsync("/api/prompts", """{"name":"greet","prompt":"Hello {{name}}","variables":[{"name":"name","default":"you"}],"model":"sandbox","labels":["production"]}""");
        await gateway.CreateAsync("/api/prompts", """{"name":"greet","prompt":"Hi there, {{name}}","variables":[{"name":"name","default":"you"}],"model":"sandbox"}""");
    }

    private static async Task<HttpResponseMessage> CallAsync(TestGateway gateway, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"prompt":{"name":"greet"},"user":"{{user}}"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    private static async Task<string> VariantAsync(TestGateway gateway, string user)
    {
        using var response = await CallAsync(gateway, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var header = response.Headers.GetValues("x-switchyard-prompt").Single();
        return header[(header.IndexOf("variant=", StringComparison.Ordinal) + "variant=".Length)..];
    }

    private static async Task<JsonNode> ReportAsync(TestGateway gateway, string path, int calls)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var (_, report, _) = await gateway.SendAsync(HttpMethod.Get, path);
            if (report!["variants"]!.AsArray().Sum(v => v!["calls"]!.GetValue<int>()) >= calls || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(25, Ct);
        }
    }
}
