using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Embeddings;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Caching.CacheHarness;

namespace Switchyard.Tests.Caching;

/// <summary>The semantic cache through a real gateway, the real MiniLM model and a fake upstream that counts calls.</summary>
public sealed class SemanticCacheTests
{
    [Fact]
    public async Task A_paraphrase_is_served_the_cached_answer_with_its_similarity_on_the_response_trace_and_metrics()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Semantic = true);

        using var first = await PostAsync(gateway, Chat("How do I reset my account password?"));
        Assert.Equal("miss", Header(first, "x-switchyard-cache"));
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        await IndexedAsync(gateway, 1);

        using var second = await PostAsync(gateway, Chat("How can I reset the password of my account?"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("semantic", Header(second, "x-switchyard-cache"));
        var similarity = double.Parse(Header(second, "x-switchyard-cache-similarity"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(similarity, 0.85, 1.0);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync(Ct));
        Assert.Single(upstream.Received);

        var row = await RecordedCalls.WaitForAsync(gateway, Header(second, "x-switchyard-trace-id"), Ct);
        Assert.Equal("semantic", row["cache"]);
        Assert.Equal(0L, row["cost_nanousd"]);
        Assert.True((long)row["cost_saved_nanousd"]! > 0);
        var trace = JsonNode.Parse(await SendAsync(gateway, HttpMethod.Get, "/api/traces/" + Header(second, "x-switchyard-trace-id")))!;
        Assert.Equal(Math.Round(similarity, 4), FindNumber(trace, "cache_similarity"), 4);

        Assert.Equal(Header(first, "x-switchyard-cache-key"), Header(second, "x-switchyard-cache-key")); // the entry served
        Assert.Contains("chat.completion", trace.ToJsonString(), StringComparison.Ordinal); // the answer served is on the trace

        await ScrapeUntilAsync(gateway, "switchyard_cache_lookups_total\\{[^}]*outcome=\"semantic\"");
        await ScrapeUntilAsync(gateway, "switchyard_cache_semantic_lookup_duration_seconds_count");
    }

    [Theory]
    [InlineData("How many grams of sugar are in 2 tablespoons?", "How many grams of sugar are in 3 tablespoons?")]
    [InlineData("Which foods contain gluten?", "Which foods don't contain gluten?")]
    [InlineData("How do I get from Heathrow to central London?", "How do I get from Gatwick to central London?")]
    [InlineData("How do I convert a string to a date in C#?", "How do I convert a date to a string in C#?")]
    public async Task A_near_miss_goes_upstream_and_the_veto_is_counted(string stored, string asked)
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Semantic = true);
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(stored)), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);

        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(asked)), "x-switchyard-cache"));
        Assert.Equal(2, upstream.Received.Count);
        await ScrapeUntilAsync(gateway, "switchyard_cache_semantic_vetoes_total\\{");
    }

    [Fact]
    public async Task Only_the_last_user_turn_may_differ_and_tenants_never_share()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, anonymous: false, configure: o => o.Cache.Semantic = true);
        var (_, alice) = await gateway.CreateKeyAsync("""{"name":"alice"}""");
        var (_, bob) = await gateway.CreateKeyAsync("""{"name":"bob"}""");
        const string Asked = "How do I reset my account password?";
        const string Paraphrase = "How can I reset the password of my account?";

        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Asked, system: "You are terse."), key: alice), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Paraphrase, system: "You are verbose."), key: alice), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Paraphrase, system: "You are terse.", temperature: 0.5), key: alice), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Paraphrase, system: "You are terse."), key: bob), "x-switchyard-cache"));
        await IndexedAsync(gateway, 4); // the misses are indexed in the background: let it finish, so the lookup below is not shed behind it
        Assert.Equal("semantic", Header(await PostAsync(gateway, Chat(Paraphrase, system: "You are terse."), key: alice), "x-switchyard-cache"));
        Assert.Equal(4, upstream.Received.Count);
    }

    [Fact]
    public async Task Texts_beyond_the_model_window_and_non_text_turns_are_not_compared_by_meaning()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Semantic = true);
        var longText = string.Join(' ', Enumerable.Repeat("Please summarise the quarterly report for the board.", 40));
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(longText)), "x-switchyard-cache"));
        await StoredAsync(gateway, 1);
        Assert.Equal("hit", Header(await PostAsync(gateway, Chat(longText)), "x-switchyard-cache")); // the exact cache still works
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(longText + " Thanks!")), "x-switchyard-cache"));

        const string Image = """{"model":"m","temperature":0,"messages":[{"role":"user","content":[{"type":"text","text":"What is in this picture?"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""";
        Assert.Equal("miss", Header(await PostAsync(gateway, Image), "x-switchyard-cache"));
        await StoredAsync(gateway, 3);
        Assert.Equal(0, Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Switchyard.Caching.Semantic.SemanticCache>(gateway.Services).Index.Count);
        await ScrapeUntilAsync(gateway, "switchyard_cache_semantic_skipped_total\\{[^}]*reason=\"beyond_window\"");
    }

    [Fact]
    public async Task Controls_invalidation_and_stats_cover_the_semantic_cache()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Semantic = true);
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("How do I reset my account password?")), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        const string Paraphrase = "How can I reset the password of my account?";
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(Paraphrase), headers: ("x-switchyard-cache", "no-cache")), "x-switchyard-cache"));
        await IndexedAsync(gateway, 2); // no-cache still stores, for both caches

        var stats = JsonNode.Parse(await SendAsync(gateway, HttpMethod.Get, "/api/cache"))!;
        Assert.Equal(2, stats["semantic_entries"]!.GetValue<int>());
        Assert.Equal(0.85, stats["similarity_threshold"]!.GetValue<double>());
        var group = stats["groups"]!.AsArray().Single(g => g!["model_group"]!.GetValue<string>() == "m")!;
        Assert.True(group["semantic"]!.GetValue<bool>());
        Assert.Equal(2, group["entries"]!.GetValue<int>());

        Assert.Equal(2, JsonNode.Parse(await SendAsync(gateway, HttpMethod.Delete, "/api/cache"))!["removed"]!.GetValue<int>());
        await IndexedAsync(gateway, 0);
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("Could you tell me how to reset my account password?")), "x-switchyard-cache"));
    }

    [Fact]
    public async Task Without_a_config_file_the_semantic_cache_is_on_and_with_one_it_is_off_unless_stated()
    {
        await using var upstream = await Upstream();
        const string Asked = "How do I reset my account password?";
        const string Paraphrase = "How can I reset the password of my account?";
        await using (var configured = await CacheGateway(upstream))
        {
            await PostAsync(configured, Chat(Asked));
            await StoredAsync(configured, 1);
            Assert.Equal("miss", Header(await PostAsync(configured, Chat(Paraphrase)), "x-switchyard-cache"));
        }

        await using (var perGroup = await CacheGateway(upstream, configure: o => o.ModelGroups["m"].Cache.Semantic = true))
        {
            await PostAsync(perGroup, Chat(Asked));
            await IndexedAsync(perGroup, 1);
            Assert.Equal("semantic", Header(await PostAsync(perGroup, Chat(Paraphrase)), "x-switchyard-cache"));
        }

        await using var discovered = await TestGateway.StartAsync(o => { TestGateway.Upstream("m", "openai", upstream)(o); o.DiscoverProviders = true; });
        await PostAsync(discovered, Chat(Asked));
        await IndexedAsync(discovered, 1);
        Assert.Equal("semantic", Header(await PostAsync(discovered, Chat(Paraphrase)), "x-switchyard-cache"));
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"\ud800 lone surrogate"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":42}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user"}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":7}]}]}""")]
    [InlineData("""{"model":"m","messages":"hello"}""")]
    [InlineData("""{"model":"m","messages":[]}""")]
    [InlineData("""{"model":"m","messages":[42]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"   "}]}""")]
    public async Task Odd_requests_never_break_the_semantic_cache(string body)
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Semantic = true);
        using var response = await PostAsync(gateway, body);
        Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.True(response.Headers.Contains("x-switchyard-cache") || (int)response.StatusCode == 400, $"{(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_megabyte_last_turn_is_refused_by_the_window_without_tokenizing_it()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Semantic = true);
        var huge = Chat(new string('a', 1_000_000));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using var response = await PostAsync(gateway, huge);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("miss", Header(response, "x-switchyard-cache"));
        await StoredAsync(gateway, 1);
        Assert.Equal(0, Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Switchyard.Caching.Semantic.SemanticCache>(gateway.Services).Index.Count);
    }

    [Fact]
    public async Task A_failing_model_turns_lookups_into_misses_and_never_strands_identical_calls()
    {
        await using var upstream = await Upstream();
        var broken = new BrokenEmbedder();
        await using var gateway = await CacheGateway(
            upstream,
            configure: o => o.Cache.Semantic = true,
            services: s => s.AddSingleton(_ => new EmbeddingBatcher(broken, TimeProvider.System)));

        // A first answer in the scope, so the lookups below have something to compare with and embed.
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat(BrokenEmbedder.Works)), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);

        // The first call leads (it will store); the second, identical, waits for it. The lead's lookup
        // throws: it must still go upstream and hand its answer to the one waiting.
        var body = Chat("How do I reset my account password?");
        var both = await Task.WhenAll(PostAsync(gateway, body), PostAsync(gateway, body)).WaitAsync(TimeSpan.FromSeconds(20), Ct);
        Assert.All(both, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(["hit", "miss"], both.Select(r => Header(r, "x-switchyard-cache")).Order());
        Assert.Equal(2, upstream.Received.Count);
        Assert.True(broken.Calls >= 1);
    }

    private sealed class BrokenEmbedder : ITextEmbedder
    {
        /// <summary>The one text (besides the warm-up) the broken model still embeds.</summary>
        public const string Works = "Which countries border Switzerland?";

        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int Dimensions => 384;

        public int WindowTokens => 256;

        public int CountTokens(string text) => text.Length / 4;

        public float[] Embed(string text, CancellationToken cancellationToken) => EmbedBatch([text], cancellationToken)[0];

        public float[][] EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken)
        {
            if (texts.All(text => text is Works or "warm up"))
            {
                return MiniLmEmbedder.Shared.EmbedBatch(texts, cancellationToken);
            }

            Interlocked.Increment(ref _calls);
            Thread.Sleep(300); // long enough for the identical call to join the lead
            throw new InvalidOperationException("the model is broken");
        }
    }

    private static double FindNumber(JsonNode node, string name) => node switch
    {
        JsonObject o when o.TryGetPropertyValue(name, out var v) && v is JsonValue value && value.TryGetValue<double>(out var d) => d,
        JsonObject o => o.Select(p => p.Value is null ? double.NaN : FindNumber(p.Value, name)).FirstOrDefault(d => !double.IsNaN(d), double.NaN),
        JsonArray a => a.Select(i => i is null ? double.NaN : FindNumber(i, name)).FirstOrDefault(d => !double.IsNaN(d), double.NaN),
        _ => double.NaN,
    };
}
