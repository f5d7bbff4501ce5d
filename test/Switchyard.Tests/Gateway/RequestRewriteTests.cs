using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Gateway;
using Switchyard.Ingress;
using Switchyard.Tests.Caching;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>A stage at the input-guardrails place rewrites the request through <see cref="CallContext.ReplaceBody"/>.</summary>
public sealed class RequestRewriteTests
{
    private static readonly RequestLimits s_limits = new(64, 1000);

    [Fact]
    public async Task A_rewritten_body_is_what_is_sent_upstream_and_what_the_cache_keys_on()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await CacheHarness.CacheGateway(upstream, services: services =>
            services.AddSingleton(new PlacedStage(PipelinePlace.InputGuardrails, new Rewriting("France", "Spain"))));

        using var first = await CacheHarness.PostAsync(gateway, CacheHarness.Question);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("capital of Spain", upstream.Last.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("France", upstream.Last.Body, StringComparison.Ordinal);

        // A request that reads differently but is rewritten to the same body is the same cache entry.
        await CacheHarness.StoredAsync(gateway, 1);
        using var second = await CacheHarness.PostAsync(gateway, CacheHarness.Question.Replace("France", "Spain", StringComparison.Ordinal));
        Assert.Equal("hit", second.Headers.GetValues("x-switchyard-cache").Single());
    }

    [Fact]
    public async Task A_rewrite_that_breaks_the_body_is_refused_and_the_call_keeps_its_body()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await CacheHarness.CacheGateway(upstream, services: services =>
            services.AddSingleton(new PlacedStage(PipelinePlace.InputGuardrails, new Rewriting("{\"model\"", "{\"model\" oops"))));

        using var response = await CacheHarness.PostAsync(gateway, CacheHarness.Question);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(upstream.Received);
    }

    private sealed class Rewriting(string from, string to) : CallStage
    {
        public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
        {
            var text = Encoding.UTF8.GetString(call.Body.Span).Replace(from, to, StringComparison.Ordinal);
            if (call.ReplaceBody(RequestBody.CopyOf(Encoding.UTF8.GetBytes(text)), s_limits) is { } error)
            {
                await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", error);
                return;
            }

            await next(call);
        }
    }
}
