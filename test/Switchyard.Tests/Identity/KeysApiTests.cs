using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

public sealed class KeysApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_is_shown_once_and_then_only_as_a_hint()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (status, created, _) = await gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"ci","metadata":{"owner":"qa"},"limits":{"rpm":5},"scopes":["inference","read"]}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var secret = created!["key"]!.GetValue<string>();
        var id = created["id"]!.GetValue<string>();
        Assert.StartsWith("sy-", secret, StringComparison.Ordinal);
        Assert.Equal("active", created["status"]!.GetValue<string>());
        Assert.Equal("qa", created["metadata"]!["owner"]!.GetValue<string>());
        Assert.Equal(["inference", "read"], created["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(secret[..6] + "…" + secret[^4..], created["hint"]!.GetValue<string>());

        var list = (await gateway.SendAsync(HttpMethod.Get, "/api/keys")).Body!.ToJsonString();
        var one = (await gateway.SendAsync(HttpMethod.Get, $"/api/keys/{id}")).Body!;
        Assert.DoesNotContain(secret, list, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, one.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(one["key"]);
        Assert.Equal(5, one["limits"]!["rpm"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret)).StatusCode);
    }

    [Fact]
    public async Task Missing_unknown_revoked_and_expired_keys_get_401_in_the_OpenAI_shape()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (expiringId, expiring) = await gateway.CreateKeyAsync("""{"name":"short","expires_in":"1h"}""");
        var (revokedId, revoked) = await gateway.CreateKeyAsync("""{"name":"gone"}""");

        var none = await gateway.ChatAsync(null);
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("invalid_api_key", (await GatewayApi.ErrorAsync(none))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.ChatAsync("sy-not-a-real-key")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(revoked)).StatusCode);
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{revokedId}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("revoked", body!["status"]!.GetValue<string>());
        // The revocation is in force as soon as the API answered.
        var afterRevoke = await gateway.ChatAsync(revoked);
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
        Assert.Contains("revoked", (await GatewayApi.ErrorAsync(afterRevoke))["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(expiring)).StatusCode);
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(expiring)).StatusCode);
        time.Advance(TimeSpan.FromMinutes(1));
        var expired = await gateway.ChatAsync(expiring);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", (await GatewayApi.ErrorAsync(expired))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("expired", (await gateway.SendAsync(HttpMethod.Get, $"/api/keys/{expiringId}")).Body!["status"]!.GetValue<string>());

        // The Anthropic endpoint answers in Anthropic's shape.
        using var messages = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent("""{"model":"sandbox","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json") };
        messages.Headers.Add("x-api-key", revoked);
        using var anthropic = await gateway.Client.SendAsync(messages, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anthropic.StatusCode);
        Assert.Equal("authentication_error", JsonNode.Parse(await anthropic.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rotation_keeps_the_old_secret_for_the_grace_period_only()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (id, old) = await gateway.CreateKeyAsync("""{"name":"rotating"}""");
        var (status, rotated, _) = await gateway.SendAsync(HttpMethod.Post, $"/api/keys/{id}/rotate", """{"grace":"10m"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        var fresh = rotated!["key"]!.GetValue<string>();
        Assert.NotEqual(old, fresh);
        Assert.Equal("2026-11-27T09:10:00.000Z", rotated["previous_secret_valid_until"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(old)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(fresh)).StatusCode);
        time.Advance(TimeSpan.FromMinutes(10));
        var late = await gateway.ChatAsync(old);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        Assert.Contains("rotated", (await GatewayApi.ErrorAsync(late))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(fresh)).StatusCode);

        // Without a body the configured grace applies (24 hours by default); "0s" cuts the old secret at once.
        var (_, second, _) = await gateway.SendAsync(HttpMethod.Post, $"/api/keys/{id}/rotate", "{}");
        Assert.Equal("2026-11-28T09:10:00.000Z", second!["previous_secret_valid_until"]!.GetValue<string>());
        var (_, third, _) = await gateway.SendAsync(HttpMethod.Post, $"/api/keys/{id}/rotate", """{"grace":"0s"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.ChatAsync(second["key"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(third!["key"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task A_key_limited_to_some_models_gets_403_for_others()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.ModelGroups["other"] = new Switchyard.Configuration.ModelGroupOptions { Deployments = [new Switchyard.Configuration.DeploymentOptions { Name = "other", Provider = "sandbox", Model = "other" }] }, anonymous: false);
        var (_, secret) = await gateway.CreateKeyAsync("""{"name":"narrow","models":["sandbox"]}""");
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret, "sandbox")).StatusCode);
        var refused = await gateway.ChatAsync(secret, "other");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var error = await GatewayApi.ErrorAsync(refused);
        Assert.Equal("model_not_allowed", error["code"]!.GetValue<string>());
        Assert.Equal("permission_error", error["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scopes_decide_what_a_key_may_do()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (_, feedback) = await gateway.CreateKeyAsync("""{"name":"browser","scopes":["feedback"]}""");
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"dashboard","scopes":["read"]}""");
        var (_, ingest) = await gateway.CreateKeyAsync("""{"name":"otel","scopes":["ingest"]}""");
        var (_, admin) = await gateway.CreateKeyAsync("""{"name":"ops","scopes":["admin"]}""");

        // Feedback keys: feedback only.
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.ChatAsync(feedback)).StatusCode);
        var trace = new string('a', 32);
        Assert.Equal(HttpStatusCode.Created, (await gateway.SendAsync(HttpMethod.Post, "/api/feedback", $$"""{"trace_id":"{{trace}}","value":"up"}""", feedback)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(HttpMethod.Get, "/api/traces", key: feedback)).Status);

        // Read keys: GETs under /api, nothing that changes state.
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Get, "/api/traces", key: reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Get, "/api/keys", key: reader)).Status);
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"escalate","scopes":["admin"]}""", reader);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("insufficient_scope", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.ChatAsync(reader)).StatusCode);

        // Ingest keys: OTLP and scores, not reads.
        Assert.Equal(HttpStatusCode.Created, (await gateway.SendAsync(HttpMethod.Post, "/api/scores", $$"""{"trace_id":"{{trace}}","name":"accuracy","value":0.9}""", ingest)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Post, "/v1/traces", """{"resourceSpans":[]}""", ingest)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(HttpMethod.Get, "/api/traces", key: ingest)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(HttpMethod.Post, "/v1/traces", """{"resourceSpans":[]}""", feedback)).Status);

        // Admin-scoped virtual keys manage keys; the gateway's admin key keeps working.
        Assert.Equal(HttpStatusCode.Created, (await gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"made-by-ops"}""", admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(TestGateway.AdminSecret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.SendAsync(HttpMethod.Get, "/api/keys", key: "sy-wrong")).Status);
    }

    [Fact]
    public async Task Anonymous_local_use_ends_when_the_first_key_is_created()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: true);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync("sk-anything-the-sdk-needs")).StatusCode);

        var (id, secret) = await gateway.CreateKeyAsync("""{"name":"first"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.ChatAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.ChatAsync("sk-anything-the-sdk-needs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await gateway.ChatAsync(secret)).StatusCode);

        // Revoking it does not reopen the door: a revoked key gets 401, and so does no key.
        await gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.ChatAsync(secret)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await gateway.ChatAsync(null)).StatusCode);
    }

    [Fact]
    public async Task Keys_belong_to_users_and_teams_that_must_exist()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"orphan","team":"nope"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("unknown_team", body!["error"]!["code"]!.GetValue<string>());

        await gateway.CreateAsync("/api/teams", """{"id":"search","name":"Search","budget":{"max_usd":100,"window":"monthly"}}""");
        await gateway.CreateAsync("/api/users", """{"id":"ana@example.com","name":"Ana","team":"search","limits":{"rpm":60}}""");
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.SendAsync(HttpMethod.Post, "/api/teams", """{"id":"search"}""")).Status);
        var (keyId, _) = await gateway.CreateKeyAsync("""{"name":"ana's","user":"ana@example.com"}""");

        var team = (await gateway.SendAsync(HttpMethod.Get, "/api/teams/search")).Body!;
        Assert.Equal("100", team["spend"]!["budget_usd"]!.GetValue<string>());
        Assert.Equal("0", team["spend"]!["spent_usd"]!.GetValue<string>());
        Assert.Single((await gateway.SendAsync(HttpMethod.Get, "/api/users?team=search")).Body!["data"]!.AsArray());

        Assert.Equal(HttpStatusCode.Conflict, (await gateway.SendAsync(HttpMethod.Delete, "/api/users/ana@example.com")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.SendAsync(HttpMethod.Delete, "/api/teams/search")).Status);

        var (patched, user, _) = await gateway.SendAsync(HttpMethod.Patch, "/api/users/ana@example.com", """{"limits":null,"email":"ana@example.org"}""");
        Assert.Equal(HttpStatusCode.OK, patched);
        Assert.Null(user!["limits"]!["rpm"]);
        Assert.Equal("ana@example.org", user["email"]!.GetValue<string>());
        Assert.Equal("search", user["team"]!.GetValue<string>());

        var (_, key, _) = await gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{keyId}", """{"user":null,"team":"search","budget":{"max_usd":"2.5","window":"daily","mode":"soft","alert_thresholds":[1,0.5]}}""");
        Assert.Equal("search", key!["team"]!.GetValue<string>());
        Assert.Equal("2.5", key["budget"]!["max_usd"]!.GetValue<string>());
        Assert.Equal([0.5, 1.0], key["budget"]!["alert_thresholds"]!.AsArray().Select(t => t!.GetValue<double>()));
        // PATCH merges: only the fields given change.
        var (_, merged, _) = await gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{keyId}", """{"limits":{"rpm":20,"tpm":5000}}""");
        (_, merged, _) = await gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{keyId}", """{"limits":{"rpm":30},"budget":{"max_usd":3}}""");
        Assert.Equal(30, merged!["limits"]!["rpm"]!.GetValue<long>());
        Assert.Equal(5000, merged["limits"]!["tpm"]!.GetValue<long>());
        Assert.Equal("daily", merged["budget"]!["window"]!.GetValue<string>());
        Assert.Equal("soft", merged["budget"]!["mode"]!.GetValue<string>());

        // A team whose only keys are revoked can be deleted; the revoked key lets go of it.
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Delete, "/api/users/ana@example.com")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Get, "/api/users/ana@example.com")).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{keyId}")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await gateway.SendAsync(HttpMethod.Post, $"/api/keys/{keyId}/rotate", "{}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Delete, "/api/teams/search")).Status);
        var revokedKey = (await gateway.SendAsync(HttpMethod.Get, $"/api/keys/{keyId}")).Body!;
        Assert.Null(revokedKey["team"]);
        Assert.Equal("revoked", revokedKey["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"name\":", "not valid JSON")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"name\":42}", "name: must be a non-empty string")]
    [InlineData("{\"name\":\"x\",\"scopes\":[\"root\"]}", "scopes:")]
    [InlineData("{\"name\":\"x\",\"scopes\":[]}", "scopes:")]
    [InlineData("{\"name\":\"x\",\"limits\":{\"rpm\":-1}}", "limits.rpm: must be a positive integer")]
    [InlineData("{\"name\":\"x\",\"limits\":{\"rpm\":\"10\"}}", "limits.rpm")]
    [InlineData("{\"name\":\"x\",\"limits\":{\"rps\":10}}", "limits.rps: unknown field")]
    [InlineData("{\"name\":\"x\",\"budget\":{\"window\":\"daily\"}}", "budget.max_usd: required")]
    [InlineData("{\"name\":\"x\",\"budget\":{\"max_usd\":0}}", "budget.max_usd")]
    [InlineData("{\"name\":\"x\",\"budget\":{\"max_usd\":5,\"window\":\"hourly\"}}", "budget.window")]
    [InlineData("{\"name\":\"x\",\"budget\":{\"max_usd\":5,\"mode\":\"1\"}}", "budget.mode")]
    [InlineData("{\"name\":\"x\",\"expires_at\":\"tomorrow\"}", "expires_at")]
    [InlineData("{\"name\":\"x\",\"expires_in\":\"-5m\"}", "expires_in")]
    [InlineData("{\"name\":\"x\",\"expires_in\":0}", "already be expired")]
    [InlineData("{\"name\":\"x\",\"expires_at\":\"2020-01-01T00:00:00Z\"}", "already be expired")]
    [InlineData("{\"name\":\"x\",\"expires_in\":\"1h\",\"expires_at\":\"2030-01-01T00:00:00Z\"}", "one or the other")]
    [InlineData("{\"name\":\"x\",\"models\":\"gpt-4o\"}", "models:")]
    [InlineData("{\"name\":\"x\",\"metadata\":[1]}", "metadata:")]
    [InlineData("{\"name\":\"x\",\"capture\":\"everything\"}", "capture:")]
    [InlineData("{\"name\":\"x\",\"secret\":\"mine\"}", "secret: unknown field")]
    [InlineData("{}", "name: required")]
    public async Task Bad_key_definitions_get_400_naming_the_field(string json, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Post, "/api/keys", json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Empty((await gateway.SendAsync(HttpMethod.Get, "/api/keys")).Body!["data"]!.AsArray());
    }

    [Fact]
    public async Task Hostile_bodies_get_clear_errors_and_change_nothing()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        using var invalidUtf8 = new HttpRequestMessage(HttpMethod.Post, "/api/keys") { Content = new ByteArrayContent([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']) };
        invalidUtf8.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        using var utf8Response = await gateway.Client.SendAsync(invalidUtf8, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, utf8Response.StatusCode);

        var huge = "{\"name\":\"" + new string('x', 200_000) + "\"}";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await gateway.SendAsync(HttpMethod.Post, "/api/keys", huge)).Status);
        var deep = new string('[', 100) + new string(']', 100);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Post, "/api/teams", "{\"metadata\":" + deep + "}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Post, "/api/teams", """{"id":"../etc"}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Post, "/api/keys/nope/rotate", """{"grace":"soon"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Post, "/api/keys/nope/rotate", "{}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Patch, "/api/keys/nope", """{"name":"x"}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Delete, "/api/keys/nope")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Get, "/api/spend?group_by=planet")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Get, "/api/spend?from=yesterday")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Get, "/api/spend?from=2026-11-02&to=2026-11-01")).Status);
        Assert.False((await gateway.SendAsync(HttpMethod.Get, "/api/spend")).Body!["truncated"]!.GetValue<bool>());
        Assert.Empty((await gateway.SendAsync(HttpMethod.Get, "/api/keys")).Body!["data"]!.AsArray());
        Assert.Empty((await gateway.SendAsync(HttpMethod.Get, "/api/teams")).Body!["data"]!.AsArray());
    }

    [Fact]
    public async Task Keys_teams_and_users_survive_a_restart()
    {
        var data = TestGateway.NewDataDirectory();
        try
        {
            string secret;
            await using (var first = await TestGateway.StartAsync(anonymous: false, dataDirectory: data))
            {
                await first.CreateAsync("/api/teams", """{"id":"t1","limits":{"tpm":1000}}""");
                (_, secret) = await first.CreateKeyAsync("""{"name":"durable","team":"t1","models":["sandbox"],"capture":"metadata"}""");
            }

            await using var second = await TestGateway.StartAsync(anonymous: false, dataDirectory: data);
            Assert.Equal(HttpStatusCode.OK, (await second.ChatAsync(secret, maxTokens: 10)).StatusCode);
            var key = (await second.SendAsync(HttpMethod.Get, "/api/keys")).Body!["data"]![0]!;
            Assert.Equal("t1", key["team"]!.GetValue<string>());
            Assert.Equal("metadata", key["capture"]!.GetValue<string>());
            Assert.Equal(1000, (await second.SendAsync(HttpMethod.Get, "/api/teams/t1")).Body!["limits"]!["tpm"]!.GetValue<long>());
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
