using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>The admin API's typed bodies: what they refuse, with a 400 naming the member, and the wire format they answer in.</summary>
public sealed class AdminApiBodyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Typed_answers_are_sent_whole_with_a_content_length()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await gateway.CreateAsync("/api/teams", """{"id":"t1","name":"Search"}""");

        foreach (var path in new[] { "/api/teams", "/api/teams/t1", "/api/keys", "/api/models" })
        {
            var (status, _, response) = await gateway.SendAsync(HttpMethod.Get, path);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.NotNull(response.Content.Headers.ContentLength);
            Assert.Null(response.Headers.TransferEncodingChunked is true ? "chunked" : null);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("POST", "/api/keys", """{"name":"x","secret":"mine"}""", "secret: unknown field (expected name, team, user, models, scopes, expires_at, expires_in, metadata, limits, budget, capture, guardrails).")]
    [InlineData("POST", "/api/keys", """{"name":"x","limits":{"rpm":5,"rps":10}}""", "limits.rps: unknown field (expected rpm, tpm, max_concurrent).")]
    [InlineData("POST", "/api/keys", """{"name":"x","budget":{"max_usd":5,"currency":"EUR"}}""", "budget.currency: unknown field (expected max_usd, window, mode, alert_thresholds).")]
    [InlineData("PATCH", "/api/keys/{key}", """{"Name":"x"}""", "Name: unknown field")]
    [InlineData("POST", "/api/keys/{key}/rotate", """{"grace":"1h","now":true}""", "now: unknown field (expected grace).")]
    [InlineData("POST", "/api/teams", """{"id":"t","email":"a@b.c"}""", "email: unknown field (expected id, name, metadata, limits, budget, guardrails).")]
    [InlineData("PATCH", "/api/teams/t1", """{"limits":{"max_concurrency":2}}""", "limits.max_concurrency: unknown field")]
    [InlineData("POST", "/api/users", """{"id":"u","teams":["t1"]}""", "teams: unknown field (expected id, name, email, team, metadata, limits, budget).")]
    [InlineData("PATCH", "/api/users/u1", """{"budget":{"max_usd":1,"hard":true}}""", "budget.hard: unknown field")]
    [InlineData("POST", "/api/keys", """{"name":"x","limits.rpm":5}""", "limits.rpm: unknown field (expected ")]
    [InlineData("POST", "/api/teams", """{"limits":{"max concurrent":[1]}}""", "limits.max concurrent: unknown field (expected rpm, tpm, max_concurrent).")]
    public async Task Unknown_members_get_400_naming_them(string method, string path, string json, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var before = await SeedAsync(gateway);
        await AssertRefusedAsync(gateway, method, path.Replace("{key}", before.KeyId, StringComparison.Ordinal), json, expected);
        Assert.Equal(before.Listing, await ListingAsync(gateway));
    }

    [Theory]
    [InlineData("POST", "/api/keys", """{"name":42}""", "name: must be a non-empty string")]
    [InlineData("POST", "/api/keys", """{"name":"x","models":[1]}""", "models: must be an array of strings.")]
    [InlineData("POST", "/api/keys", """{"name":"x","scopes":"read"}""", "scopes: must be an array of strings.")]
    [InlineData("POST", "/api/keys", """{"name":"x","expires_at":5}""", "expires_at: must be an ISO 8601 time")]
    [InlineData("POST", "/api/keys", """{"name":"x","limits":{"rpm":"10"}}""", "limits.rpm: must be an integer.")]
    [InlineData("POST", "/api/keys", """{"name":"x","limits":{"tpm":1.5}}""", "limits.tpm: must be an integer.")]
    [InlineData("POST", "/api/keys", """{"name":"x","limits":[60]}""", "limits: must be a JSON object with rpm, tpm, max_concurrent.")]
    [InlineData("PATCH", "/api/keys/{key}", """{"budget":{"max_usd":5,"alert_thresholds":[0.5,"all"]}}""", "budget.alert_thresholds: must be an array of numbers.")]
    [InlineData("PATCH", "/api/keys/{key}", """{"capture":true}""", "capture: must be a non-empty string")]
    [InlineData("POST", "/api/keys/{key}/rotate", """{"grace":null}""", "grace: must be a duration")]
    [InlineData("POST", "/api/keys/{key}/rotate", """{"grace":[1]}""", "grace: must be a duration")]
    [InlineData("POST", "/api/teams", """{"id":7}""", "id: must be a non-empty string")]
    [InlineData("POST", "/api/teams", """{"id":"t","budget":"25"}""", "budget: must be a JSON object with max_usd, window, mode, alert_thresholds.")]
    [InlineData("PATCH", "/api/teams/t1", """{"name":["Search"]}""", "name: must be a non-empty string")]
    [InlineData("POST", "/api/users", """{"id":"u","email":{"work":"a@b.c"}}""", "email: must be a non-empty string")]
    [InlineData("PATCH", "/api/users/u1", """{"limits":{"max_concurrent":"8"}}""", "limits.max_concurrent: must be an integer.")]
    public async Task Members_of_the_wrong_type_get_400_naming_them(string method, string path, string json, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        var before = await SeedAsync(gateway);
        await AssertRefusedAsync(gateway, method, path.Replace("{key}", before.KeyId, StringComparison.Ordinal), json, expected);
        Assert.Equal(before.Listing, await ListingAsync(gateway));
    }

    [Theory]
    [InlineData("{\"name\":\"x\"", "not valid JSON")]
    [InlineData("\"x\"", "must be a JSON object")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("{\"name\":\"x\"} {}", "not valid JSON")]
    [InlineData("{\"name\":\"x\",\"limits\":{\"rpm\":1e400}}", "limits.rpm: must be an integer.")]
    public async Task Malformed_bodies_get_400_not_500(string json, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await AssertRefusedAsync(gateway, "POST", "/api/keys", json, expected);
        await AssertRefusedAsync(gateway, "POST", "/api/teams", json.Replace("\"name\"", "\"id\"", StringComparison.Ordinal), expected);
    }

    [Fact]
    public async Task Teams_and_users_answer_in_the_wire_format_of_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, 123, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (status, _, response) = await gateway.SendAsync(HttpMethod.Post, "/api/teams",
            """{"id":"t1","name":"T","metadata":{"a":[1,{"b":null}]},"limits":{"rpm":5},"budget":{"max_usd":"2.50","window":"weekly","mode":"soft","alert_thresholds":[1,0.25]}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(
            """{"id":"t1","object":"team","name":"T","metadata":{"a":[1,{"b":null}]},"limits":{"rpm":5,"tpm":null,"max_concurrent":null},"budget":{"max_usd":"2.5","window":"weekly","mode":"soft","alert_thresholds":[0.25,1]},"spend":{"window":"weekly","window_start":"2026-11-23T00:00:00.000Z","window_end":"2026-11-30T00:00:00.000Z","budget_usd":"2.5","spent_usd":"0","reserved_usd":"0","remaining_usd":"2.5","used_fraction":0,"exceeded":false},"guardrails":null,"created_at":"2026-11-27T09:00:00.123Z","updated_at":"2026-11-27T09:00:00.123Z"}""",
            await response.Content.ReadAsStringAsync(Ct));

        await gateway.CreateAsync("/api/users", """{"id":"u1","email":"a@b.c","team":"t1","budget":{"max_usd":1e-3,"window":"total"}}""");
        Assert.Equal(
            """{"id":"u1","object":"user","name":"Ana","email":"a@b.c","team":null,"metadata":null,"limits":{"rpm":null,"tpm":null,"max_concurrent":null},"budget":{"max_usd":"0.001","window":"total","mode":"hard","alert_thresholds":[0.5,0.8,1]},"spend":{"window":"total","window_start":null,"window_end":null,"budget_usd":"0.001","spent_usd":"0","reserved_usd":"0","remaining_usd":"0.001","used_fraction":0,"exceeded":false},"created_at":"2026-11-27T09:00:00.123Z","updated_at":"2026-11-27T09:00:00.123Z"}""",
            await (await gateway.SendAsync(HttpMethod.Patch, "/api/users/u1", """{"name":"Ana","team":null}""")).Response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("""{"id":"u1","object":"user","deleted":true}""", await (await gateway.SendAsync(HttpMethod.Delete, "/api/users/u1")).Response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Keys_answer_in_the_wire_format_of_before()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 9, 0, 0, 123, TimeSpan.Zero));
        await using var gateway = await TestGateway.StartAsync(anonymous: false, services: s => s.AddSingleton<TimeProvider>(time));
        var (_, created, response) = await gateway.SendAsync(HttpMethod.Post, "/api/keys",
            """{"name":"k","models":["sandbox","sandbox"],"scopes":["read","inference"],"expires_in":"2d","metadata":{"x":"ü"},"limits":{"max_concurrent":3},"capture":"Metadata"}""");
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        string[] members = ["id", "object", "key", "name", "hint", "status", "team", "user", "scopes", "models", "expires_at", "revoked_at", "previous_secret_valid_until", "capture", "guardrails", "metadata", "limits", "budget", "spend", "created_at", "updated_at"];
        Assert.Equal(members, created!.AsObject().Select(p => p.Key));
        Assert.Equal("2026-11-29T09:00:00.123Z", created["expires_at"]!.GetValue<string>());
        Assert.Equal(["sandbox"], created["models"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("metadata", created["capture"]!.GetValue<string>());
        Assert.Equal("""{"x":"ü"}""", created["metadata"]!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var id = created["id"]!.GetValue<string>();
        var (_, patched, _) = await gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{id}", """{"expires_at":"2027-01-01T10:00:00+02:00","metadata":null}""");
        Assert.Equal(members.Where(m => m != "key"), patched!.AsObject().Select(p => p.Key));
        Assert.Equal("2027-01-01T08:00:00.000Z", patched["expires_at"]!.GetValue<string>());
        Assert.Null(patched["metadata"]);
        Assert.Equal(3, patched["limits"]!["max_concurrent"]!.GetValue<int>());

        var (_, rotated, _) = await gateway.SendAsync(HttpMethod.Post, $"/api/keys/{id}/rotate", """{"grace":60}""");
        Assert.StartsWith("sy-", rotated!["key"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("2026-11-27T09:01:00.123Z", rotated["previous_secret_valid_until"]!.GetValue<string>());
    }

    private static async Task<(string KeyId, string Listing)> SeedAsync(TestGateway gateway)
    {
        await gateway.CreateAsync("/api/teams", """{"id":"t1","limits":{"rpm":5}}""");
        await gateway.CreateAsync("/api/users", """{"id":"u1","team":"t1"}""");
        var (keyId, _) = await gateway.CreateKeyAsync("""{"name":"seed","user":"u1"}""");
        return (keyId, await ListingAsync(gateway));
    }

    private static async Task<string> ListingAsync(TestGateway gateway) =>
        string.Join("\n", await Task.WhenAll(new[] { "/api/keys", "/api/teams", "/api/users" }.Select(async path => (await gateway.SendAsync(HttpMethod.Get, path)).Body!.ToJsonString())));

    private static async Task AssertRefusedAsync(TestGateway gateway, string method, string path, string json, string expected)
    {
        var (status, body, _) = await gateway.SendAsync(new HttpMethod(method), path, json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body!["error"]!["type"]!.GetValue<string>());
        Assert.Contains(expected, body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
