using System.Net;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary><c>auth.require_key_for</c>: the endpoints that answer without a key by default, closed one by one.</summary>
public sealed class RequireKeyForTests
{
    private static readonly string[] s_public = ["/metrics", "/health/ready", "/health/live", "/v1/models", "/models", "/v1/models/sandbox"];

    [Fact]
    public async Task By_default_metrics_readiness_and_the_model_list_need_no_key()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        foreach (var path in s_public)
        {
            var (status, _, _) = await gateway.SendAsync(HttpMethod.Get, path, key: null);
            Assert.True(status == HttpStatusCode.OK, $"{path}: {(int)status}");
        }
    }

    [Fact]
    public async Task Metrics_then_need_a_key_with_the_read_scope()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.Auth.RequireKeyFor = ProtectedEndpoints.Metrics, anonymous: false);
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"prometheus","scopes":["read"]}""");
        var (_, app) = await gateway.CreateKeyAsync("""{"name":"app"}""");

        await AssertStatusAsync(gateway, "/metrics", null, HttpStatusCode.Unauthorized);
        await AssertStatusAsync(gateway, "/metrics", "sk-wrong", HttpStatusCode.Unauthorized);
        await AssertStatusAsync(gateway, "/metrics", app, HttpStatusCode.Forbidden);
        await AssertStatusAsync(gateway, "/metrics", reader, HttpStatusCode.OK);
        await AssertStatusAsync(gateway, "/metrics", TestGateway.AdminSecret, HttpStatusCode.OK);

        // The others stay open.
        await AssertStatusAsync(gateway, "/health/ready", null, HttpStatusCode.OK);
        await AssertStatusAsync(gateway, "/v1/models", null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Readiness_then_needs_a_key_with_the_read_scope_and_liveness_stays_open()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.Auth.RequireKeyFor = ProtectedEndpoints.Ready, anonymous: false);
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"probe","scopes":["read"]}""");
        var (_, app) = await gateway.CreateKeyAsync("""{"name":"app"}""");

        await AssertStatusAsync(gateway, "/health/ready", null, HttpStatusCode.Unauthorized);
        await AssertStatusAsync(gateway, "/health/ready", app, HttpStatusCode.Forbidden);
        await AssertStatusAsync(gateway, "/health/ready", reader, HttpStatusCode.OK);
        await AssertStatusAsync(gateway, "/health/live", null, HttpStatusCode.OK);
        await AssertStatusAsync(gateway, "/metrics", null, HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_model_list_then_needs_an_inference_key_even_while_v1_is_open_on_loopback()
    {
        await using var gateway = await TestGateway.StartAsync(o => o.Auth.RequireKeyFor = ProtectedEndpoints.Models, anonymous: true);

        // Calls stay anonymous; listing the models does not.
        using (var chat = await gateway.ChatAsync(key: null))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        foreach (var path in (string[])["/v1/models", "/models", "/v1/models/sandbox"])
        {
            await AssertStatusAsync(gateway, path, null, HttpStatusCode.Unauthorized);
            await AssertStatusAsync(gateway, path, TestGateway.AdminSecret, HttpStatusCode.OK);
        }

        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"viewer","scopes":["read"]}""");
        var (_, app) = await gateway.CreateKeyAsync("""{"name":"app"}""");
        await AssertStatusAsync(gateway, "/v1/models", reader, HttpStatusCode.Forbidden);
        await AssertStatusAsync(gateway, "/v1/models", app, HttpStatusCode.OK);
        await AssertStatusAsync(gateway, "/metrics", null, HttpStatusCode.OK);
    }

    private static async Task AssertStatusAsync(TestGateway gateway, string path, string? key, HttpStatusCode expected)
    {
        var (status, body, _) = await gateway.SendAsync(HttpMethod.Get, path, key: key);
        Assert.True(status == expected, $"GET {path} with {(key is null ? "no key" : "a key")}: {(int)status} {body?.ToJsonString()}");
    }
}
