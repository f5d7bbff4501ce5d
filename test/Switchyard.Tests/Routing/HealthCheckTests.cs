using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Routing;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Routing.RoutingHarness;

namespace Switchyard.Tests.Routing;

public sealed class HealthCheckTests
{
    [Fact]
    public async Task Failing_health_checks_isolate_a_deployment_and_a_passing_one_brings_it_back()
    {
        await using var healthy = await FakeUpstream.StartAsync();
        await using var sick = await FakeUpstream.StartAsync();
        healthy.Handler = Healthy;
        var down = true;
        sick.Handler = (http, request) => Volatile.Read(ref down) ? Failing(http, request) : Healthy(http, request);
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("healthy", healthy), ("sick", sick)),
            o => o.Routing.Strategy = LoadBalancing.RoundRobin));

        // The checks the background service runs each interval, driven here one round at a time.
        var checks = ActivatorUtilities.CreateInstance<HealthChecks>(gateway.Services);
        var catalog = gateway.Services.GetRequiredService<ModelCatalog>();
        catalog.TryGet("m", out var group);
        var target = group.Deployments.Single(d => d.Name == "sick");

        await checks.CheckAsync(target, TestContext.Current.CancellationToken);
        Assert.Equal("closed", Deployment(await DeploymentsAsync(gateway), "sick")["breaker"]!.GetValue<string>()); // one failure is not enough
        await checks.CheckAsync(target, TestContext.Current.CancellationToken);
        var state = Deployment(await DeploymentsAsync(gateway), "sick");
        Assert.Equal("isolated", state["breaker"]!.GetValue<string>());
        Assert.False(state["health_check"]!["ok"]!.GetValue<bool>());
        Assert.Equal(2, state["health_check"]!["consecutive_failures"]!.GetValue<int>());
        Assert.Contains("\"max_tokens\":1", sick.Last.Body);

        var before = sick.Received.Count;
        for (var i = 0; i < 6; i++)
        {
            using var response = await PostAsync(gateway, "m");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("healthy", Header(response, "x-switchyard-deployment"));
        }

        Assert.Equal(before, sick.Received.Count);

        Volatile.Write(ref down, false);
        await checks.CheckAsync(target, TestContext.Current.CancellationToken);
        Assert.Equal("closed", Deployment(await DeploymentsAsync(gateway), "sick")["breaker"]!.GetValue<string>());
        var answeredBySick = 0;
        for (var i = 0; i < 6; i++)
        {
            using var response = await PostAsync(gateway, "m");
            answeredBySick += Header(response, "x-switchyard-deployment") == "sick" ? 1 : 0;
        }

        Assert.True(answeredBySick > 0);
    }

    [Fact]
    public async Task The_background_service_checks_every_deployment_on_its_interval()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = Healthy;
        await using var gateway = await TestGateway.StartAsync(All(
            Group("m", ("only", upstream)),
            o => o.Routing.HealthChecks.Interval = TimeSpan.FromSeconds(1)));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (upstream.Received.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(upstream.Received.Count >= 2, "two rounds of checks within 10 s");
        Assert.True(Deployment(await DeploymentsAsync(gateway), "only")["health_check"]!["ok"]!.GetValue<bool>());
    }
}
