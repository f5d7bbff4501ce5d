using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching.Semantic;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Caching.CacheHarness;
using static Switchyard.Tests.Caching.SemanticIndexingTests;

namespace Switchyard.Tests.Caching;

/// <summary>
/// A semantic lookup behind too long a backlog of embeddings is shed: the call goes on as an exact-cache-only
/// miss, with its reason on the trace. Embedding durations come from a fake clock the test embedder moves on.
/// </summary>
public sealed class SemanticLoadSheddingTests
{
    private const string Asked = "How do I reset my account password?";
    private const string Paraphrase = "How can I reset the password of my account?";

    [Fact]
    public async Task A_lookup_behind_a_backlog_over_budget_is_shed_as_a_miss_with_its_reason()
    {
        await using var upstream = await Upstream();
        var time = new FakeTimeProvider();
        using var embedder = new GatedEmbedder(time, TimeSpan.FromMilliseconds(20));
        await using var gateway = await SemanticGateway(upstream, embedder, time: time);
        var semantic = gateway.Services.GetRequiredService<SemanticCache>();

        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Asked)), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        Assert.Equal(TimeSpan.FromMilliseconds(20), semantic.Embeddings.PerText);

        // The indexer holds an embedding (another scope's answer), so a lookup would wait 20 ms for it and
        // take 20 ms itself: 40 ms, over the 10 ms budget.
        embedder.Close();
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("Which river flows through Vienna?", system: "You are terse.")), "x-switchyard-cache"));
        await WaitUntilAsync(() => embedder.Entered == 2);
        Assert.Equal(1, semantic.Embeddings.InFlight);

        using var shed = await PostAsync(gateway, Chat(Paraphrase));
        Assert.Equal(HttpStatusCode.OK, shed.StatusCode);
        Assert.Equal("miss", Header(shed, "x-switchyard-cache"));
        Assert.Equal(1, semantic.Shed);
        Assert.Equal(2, embedder.Entered); // the shed lookup never reached the model
        Assert.Equal(3, upstream.Received.Count);

        var traceId = Header(shed, "x-switchyard-trace-id");
        var row = await RecordedCalls.WaitForAsync(gateway, traceId, Ct);
        Assert.Equal("miss", row["cache"]);
        Assert.Equal("semantic_shed", row["cache_reason"]);
        var trace = JsonNode.Parse(await SendAsync(gateway, HttpMethod.Get, "/api/traces/" + traceId))!;
        Assert.Contains("\"cache_reason\":\"semantic_shed\"", trace.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(1, JsonNode.Parse(await SendAsync(gateway, HttpMethod.Get, "/api/cache"))!["semantic_shed"]!.GetValue<long>());
        await ScrapeUntilAsync(gateway, "switchyard_cache_semantic_shed_total\\{[^}]*model_group=\"m\"[^}]*\\} 1");

        embedder.Open();
        await IndexedAsync(gateway, 3); // a shed lookup's answer is still stored and indexed
    }

    [Fact]
    public async Task With_no_embedding_under_way_a_lookup_is_never_shed()
    {
        await using var upstream = await Upstream();
        var time = new FakeTimeProvider();
        // Slower than the whole budget: still not shed, as nothing is ahead of the lookup.
        using var embedder = new GatedEmbedder(time, TimeSpan.FromMilliseconds(20));
        await using var gateway = await SemanticGateway(upstream, embedder, time: time);
        var semantic = gateway.Services.GetRequiredService<SemanticCache>();

        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Asked)), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        using var hit = await PostAsync(gateway, Chat(Paraphrase));
        Assert.Equal("semantic", Header(hit, "x-switchyard-cache"));
        Assert.Equal(0, semantic.Shed);
        var row = await RecordedCalls.WaitForAsync(gateway, Header(hit, "x-switchyard-trace-id"), Ct);
        Assert.Null(row["cache_reason"]);
    }
}
