using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching.Semantic;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Caching.CacheHarness;

namespace Switchyard.Tests.Caching;

/// <summary>Embeddings off the request path: a miss is indexed after its answer, from a bounded queue; an empty scope embeds nothing.</summary>
public sealed class SemanticIndexingTests
{
    private const string Asked = "How do I reset my account password?";
    private const string Paraphrase = "How can I reset the password of my account?";

    [Fact]
    public async Task A_miss_answers_before_its_embedding_and_once_indexed_a_paraphrase_is_a_semantic_hit()
    {
        await using var upstream = await Upstream();
        using var embedder = new GatedEmbedder();
        await using var gateway = await SemanticGateway(upstream, embedder);
        var semantic = gateway.Services.GetRequiredService<SemanticCache>();

        embedder.Close();
        using (var first = await PostAsync(gateway, Chat(Asked)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal("miss", Header(first, "x-switchyard-cache"));
        }

        Assert.Equal(0, embedder.Completed); // the answer did not wait for the model
        await WaitUntilAsync(() => embedder.Entered == 1);
        Assert.Equal(0, semantic.Index.Count);

        embedder.Open();
        await IndexedAsync(gateway, 1);
        Assert.Equal("semantic", Header(await PostAsync(gateway, Chat(Paraphrase)), "x-switchyard-cache"));
        Assert.Equal(2, embedder.Completed); // the background index, then the lookup
        Assert.Single(upstream.Received);
    }

    [Fact]
    public async Task A_stored_miss_reuses_the_vector_its_lookup_computed()
    {
        await using var upstream = await Upstream();
        using var embedder = new GatedEmbedder();
        await using var gateway = await SemanticGateway(upstream, embedder);

        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Asked)), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        Assert.Equal(1, embedder.Completed);

        // The scope has an entry, so this lookup embeds; its answer is then indexed with that same vector.
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("Which countries border Switzerland?")), "x-switchyard-cache"));
        await IndexedAsync(gateway, 2);
        Assert.Equal(2, embedder.Completed);
    }

    [Fact]
    public async Task A_lookup_in_an_empty_scope_does_not_call_the_embedder()
    {
        await using var upstream = await Upstream();
        using var embedder = new GatedEmbedder();
        await using var gateway = await SemanticGateway(upstream, embedder);

        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Asked, system: "You are terse.")), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        Assert.Equal(1, embedder.Entered); // indexing only

        // Another system prompt is another scope, and it holds nothing to compare with.
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Paraphrase, system: "You are verbose.")), "x-switchyard-cache"));
        await IndexedAsync(gateway, 2);
        Assert.Equal(2, embedder.Entered); // again indexing only: no lookup embedding
        Assert.Equal(2, upstream.Received.Count);
    }

    [Fact]
    public async Task A_full_index_queue_skips_indexing_without_failing_the_call_and_counts_it()
    {
        await using var upstream = await Upstream();
        using var embedder = new GatedEmbedder();
        await using var gateway = await SemanticGateway(upstream, embedder, o => o.Cache.SemanticIndexQueue = 1);
        var semantic = gateway.Services.GetRequiredService<SemanticCache>();

        embedder.Close();
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("What is the capital of France?")), "x-switchyard-cache"));
        await WaitUntilAsync(() => embedder.Entered == 1); // the worker holds the first, the queue is empty
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("What is the tallest mountain in Europe?")), "x-switchyard-cache"));
        await WaitUntilAsync(() => semantic.IndexQueued == 1);
        using var third = await PostAsync(gateway, Chat("Which river flows through Vienna?"));
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal("miss", Header(third, "x-switchyard-cache"));
        await WaitUntilAsync(() => semantic.IndexSkipped == 1);
        await ScrapeUntilAsync(gateway, "switchyard_cache_semantic_index_skipped_total\\{[^}]*model_group=\"m\"[^}]*\\} 1");
        var stats = System.Text.Json.Nodes.JsonNode.Parse(await SendAsync(gateway, HttpMethod.Get, "/api/cache"))!;
        Assert.Equal((1, 1), (stats["semantic_index_skipped"]!.GetValue<long>(), stats["semantic_index_queued"]!.GetValue<int>()));
        var ready = System.Text.Json.Nodes.JsonNode.Parse(await gateway.Client.GetStringAsync("/health/ready", Ct))!["semantic_cache"]!;
        Assert.Equal((1, 1, 1, 1), (ready["index_queue_depth"]!.GetValue<int>(), ready["index_queue_capacity"]!.GetValue<int>(), ready["index_skipped"]!.GetValue<long>(), ready["embeddings_in_flight"]!.GetValue<int>()));

        embedder.Open();
        await IndexedAsync(gateway, 2);
        await StoredAsync(gateway, 3);
        Assert.Equal("hit", Header(await PostAsync(gateway, Chat("Which river flows through Vienna?")), "x-switchyard-cache")); // the exact cache still has it
        Assert.Equal(2, embedder.Entered);
    }

    /// <summary>A gateway whose semantic cache embeds with <paramref name="embedder"/>, once its start-up warm-up embedding is done (and not counted).</summary>
    internal static async Task<TestGateway> SemanticGateway(FakeUpstream upstream, GatedEmbedder embedder, Action<SwitchyardOptions>? configure = null, FakeTimeProvider? time = null)
    {
        var gateway = await CacheGateway(
            upstream,
            configure: o =>
            {
                o.Cache.Semantic = true;
                configure?.Invoke(o);
            },
            services: s => s.AddSingleton(_ => new EmbeddingBatcher(embedder, time ?? TimeProvider.System)));
        await WaitUntilAsync(() => embedder.Completed == 1);
        embedder.ResetCounts();
        return gateway;
    }

    /// <summary>Waits (bounded) for what a background worker does.</summary>
    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }

        Assert.True(condition());
    }
}
