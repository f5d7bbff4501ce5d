using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Caching.CacheHarness;

namespace Switchyard.Tests.Caching;

/// <summary>The exact cache through a real gateway and a fake upstream that counts what reaches it.</summary>
public sealed class ExactCacheTests
{
    private const string Question = """{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0}""";

    [Fact]
    public async Task A_repeated_request_is_answered_from_the_cache_with_the_original_body_at_no_cost()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream);

        using var first = await PostAsync(gateway, Question);
        var firstBody = await first.Content.ReadAsStringAsync(Ct);
        Assert.Equal("miss", Header(first, "x-switchyard-cache"));

        using var second = await PostAsync(gateway, """{ "temperature": 0.0, "messages": [ { "content": "What is the capital of France?", "role": "user" } ], "model": "m" }""");
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("hit", Header(second, "x-switchyard-cache"));
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync(Ct));
        Assert.Single(upstream.Received);

        var row = await RecordedCalls.WaitForAsync(gateway, Header(second, "x-switchyard-trace-id"), Ct);
        Assert.Equal("hit", row["cache"]);
        Assert.Equal(0L, row["cost_nanousd"]);
        Assert.True((long)row["cost_saved_nanousd"]! > 0); // gpt-4o prices: the first call cost something
        Assert.Equal(12L, row["input_tokens"]);
        var missRow = await RecordedCalls.WaitForAsync(gateway, Header(first, "x-switchyard-trace-id"), Ct);
        Assert.Equal("miss", missRow["cache"]);

        var metrics = await ScrapeUntilAsync(gateway, "switchyard_cache_lookups_total\\{[^}]*outcome=\"hit\"");
        Assert.Matches("switchyard_cache_saved_(USD_)?total\\{[^}]*model_group=\"m\"", metrics);
        Assert.Contains("switchyard_cache_entries", metrics);
    }

    [Fact]
    public async Task Any_changed_parameter_and_another_tenant_miss()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, anonymous: false);
        var (_, alice) = await gateway.CreateKeyAsync("""{"name":"alice"}""");
        var (_, bob) = await gateway.CreateKeyAsync("""{"name":"bob"}""");

        Assert.Equal("miss", Header(await PostAsync(gateway, Question, key: alice), "x-switchyard-cache"));
        Assert.Equal("hit", Header(await PostAsync(gateway, Question, key: alice), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question, key: bob), "x-switchyard-cache")); // never across keys by default
        Assert.Equal("miss", Header(await PostAsync(gateway, Question.Replace("\"temperature\":0", "\"temperature\":0.2", StringComparison.Ordinal), key: alice), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question.Replace("France", "Spain", StringComparison.Ordinal), key: alice), "x-switchyard-cache"));
        Assert.Equal(4, upstream.Received.Count);
    }

    [Fact]
    public async Task Team_scope_shares_within_a_team_only()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, anonymous: false, configure: o => o.Cache.Scope = CacheScope.Team);
        await gateway.CreateAsync("/api/teams", """{"id":"red"}""");
        await gateway.CreateAsync("/api/teams", """{"id":"blue"}""");
        var (_, red1) = await gateway.CreateKeyAsync("""{"name":"r1","team":"red"}""");
        var (_, red2) = await gateway.CreateKeyAsync("""{"name":"r2","team":"red"}""");
        var (_, blue) = await gateway.CreateKeyAsync("""{"name":"b","team":"blue"}""");

        Assert.Equal("miss", Header(await PostAsync(gateway, Question, key: red1), "x-switchyard-cache"));
        Assert.Equal("hit", Header(await PostAsync(gateway, Question, key: red2), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question, key: blue), "x-switchyard-cache"));
    }

    [Fact]
    public async Task Concurrent_identical_misses_make_one_upstream_call()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async (http, _) =>
        {
            await Task.Delay(300);
            await UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        };
        await using var gateway = await CacheGateway(upstream);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(gateway, Question)));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(upstream.Received);
        Assert.Equal(1, responses.Count(r => Header(r, "x-switchyard-cache") == "miss"));
        Assert.Equal(19, responses.Count(r => Header(r, "x-switchyard-cache") == "hit"));
    }

    [Fact]
    public async Task Entries_expire_after_their_ttl_on_the_gateway_clock_and_a_caller_may_set_it()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.Cache.Ttl = TimeSpan.FromMinutes(10), services: s => s.AddSingleton<TimeProvider>(time));

        Assert.Equal("miss", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));
        await StoredAsync(gateway, 1); // the entry is stored just after the answer is sent
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("hit", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));

        var other = Question.Replace("France", "Italy", StringComparison.Ordinal);
        Assert.Equal("miss", Header(await PostAsync(gateway, other, headers: ("x-switchyard-cache-ttl", "30")), "x-switchyard-cache"));
        await StoredAsync(gateway, 2);
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("miss", Header(await PostAsync(gateway, other), "x-switchyard-cache"));
    }

    [Fact]
    public async Task The_caller_controls_lookup_and_store_and_bad_values_are_refused()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream);

        Assert.Equal("bypass", Header(await PostAsync(gateway, Question, headers: ("x-switchyard-cache", "off")), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question, headers: ("x-switchyard-cache", "no-store")), "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question), "x-switchyard-cache")); // nothing was stored so far
        Assert.Equal("miss", Header(await PostAsync(gateway, Question, headers: ("x-switchyard-cache", "no-cache")), "x-switchyard-cache")); // skips the lookup, stores
        Assert.Equal("hit", Header(await PostAsync(gateway, Question, headers: ("x-switchyard-cache", "no-store")), "x-switchyard-cache"));
        Assert.Equal(4, upstream.Received.Count);

        foreach (var (name, value) in new[] { ("x-switchyard-cache", "sometimes"), ("x-switchyard-cache-ttl", "-5"), ("x-switchyard-cache-ttl", "forever") })
        {
            using var refused = await PostAsync(gateway, Question, headers: (name, value));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.StartsWith(name + ":", (await GatewayApi.ErrorAsync(refused))["message"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("""{"model":"m","n":2,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"m","temperature":0.9,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"m","temperature":0,"tools":[{"type":"function","function":{"name":"send_email","parameters":{}}}],"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task Uncacheable_requests_bypass_the_cache(string body)
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o =>
        {
            o.Cache.MaxTemperature = 0.5;
            o.Cache.SideEffectTools = ["send_email"];
        });

        Assert.Equal("bypass", Header(await PostAsync(gateway, body), "x-switchyard-cache"));
        Assert.Equal("bypass", Header(await PostAsync(gateway, body), "x-switchyard-cache"));
        Assert.Equal(2, upstream.Received.Count);
    }

    [Fact]
    public async Task Failed_answers_are_not_cached()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var calls = 0;
        upstream.Handler = (http, _) => Interlocked.Increment(ref calls) == 1
            ? UpstreamReplies.Json(http, """{"error":{"message":"boom","type":"server_error"}}""", 500)
            : UpstreamReplies.Json(http, UpstreamReplies.ChatCompletion);
        await using var gateway = await CacheGateway(upstream, configure: o => o.Routing.MaxRetries = 0);

        Assert.Equal(HttpStatusCode.InternalServerError, (await PostAsync(gateway, Question)).StatusCode);
        Assert.Equal("miss", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));
        Assert.Equal("hit", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));
    }

    [Fact]
    public async Task A_plain_answer_is_replayed_as_a_stream_the_OpenAI_SDK_parses_and_a_stream_as_a_plain_answer()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream);
        var client = new OpenAIClient(new ApiKeyCredential("sk-any"), new OpenAIClientOptions { Endpoint = new Uri(gateway.BaseUrl + "/v1"), RetryPolicy = new ClientRetryPolicy(0) });
        var chat = client.GetChatClient("m");
        var options = new ChatCompletionOptions { Temperature = 0 };

        ChatCompletion plain = await chat.CompleteChatAsync([new UserChatMessage("Say hello")], options, Ct);
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Say hello")], options, Ct))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(plain.Content[0].Text, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(12, usage!.InputTokenCount);
        Assert.Single(upstream.Received); // the stream came from the cache

        // The other way: a streamed answer first, then the same request plain.
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Tell me more")], options, Ct))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        ChatCompletion fromStream = await chat.CompleteChatAsync([new UserChatMessage("Tell me more")], options, Ct);
        Assert.Equal(streamed.ToString(), fromStream.Content[0].Text);
        Assert.Equal(2, upstream.Received.Count);
    }

    [Fact]
    public async Task Invalidation_by_model_group_and_stats_through_the_api()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream);
        await PostAsync(gateway, Question);
        await PostAsync(gateway, Question.Replace("France", "Peru", StringComparison.Ordinal));

        var stats = JsonNode.Parse(await SendAsync(gateway, HttpMethod.Get, "/api/cache"))!;
        Assert.Equal(2, stats["entries"]!.GetValue<int>());
        Assert.True(stats["memory_bytes"]!.GetValue<long>() > 0);

        var removed = JsonNode.Parse(await SendAsync(gateway, HttpMethod.Delete, "/api/cache?model_group=m"))!;
        Assert.Equal(2, removed["removed"]!.GetValue<int>());
        Assert.Equal("miss", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));

        using var bad = new HttpRequestMessage(HttpMethod.Delete, "/api/cache?colour=red");
        bad.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.Client.SendAsync(bad, Ct)).StatusCode);
    }

    [Fact]
    public async Task With_a_config_file_the_cache_is_off_unless_stated_and_without_one_it_is_on()
    {
        await using var upstream = await Upstream();
        await using (var configured = await TestGateway.StartAsync(TestGateway.Upstream("m", "openai", upstream)))
        {
            Assert.Equal("bypass", Header(await PostAsync(configured, Question), "x-switchyard-cache"));
        }

        await using var discovered = await TestGateway.StartAsync(o => { TestGateway.Upstream("m", "openai", upstream)(o); o.DiscoverProviders = true; });
        Assert.Equal("miss", Header(await PostAsync(discovered, Question), "x-switchyard-cache"));
        Assert.Equal("hit", Header(await PostAsync(discovered, Question), "x-switchyard-cache"));
    }

    [Fact]
    public async Task A_model_group_keeps_to_its_own_bounds_least_recently_used_first()
    {
        await using var upstream = await Upstream();
        await using var gateway = await CacheGateway(upstream, configure: o => o.ModelGroups["m"].Cache.MaxEntries = 2);
        var store = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Switchyard.Caching.ExactCache>(gateway.Services).Store;
        foreach (var country in (string[])["France", "Spain"])
        {
            await PostAsync(gateway, Question.Replace("France", country, StringComparison.Ordinal));
        }

        await StoredAsync(gateway, 2);
        Assert.Equal("hit", Header(await PostAsync(gateway, Question), "x-switchyard-cache")); // France is now the most recent
        await PostAsync(gateway, Question.Replace("France", "Italy", StringComparison.Ordinal));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (store.Evictions < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, Ct);
        }

        Assert.Equal(2, store.CountOf("m"));
        using var france = await PostAsync(gateway, Question);
        Assert.Equal("hit", Header(france, "x-switchyard-cache"));
        Assert.Equal("miss", Header(await PostAsync(gateway, Question.Replace("France", "Spain", StringComparison.Ordinal)), "x-switchyard-cache"));
        await ScrapeUntilAsync(gateway, "switchyard_cache_evictions_total\\{[^}]*model_group=\"m\"[^}]*\\} [1-9]");

        // One entry can be invalidated by the key its response named.
        Assert.Equal(1, JsonNode.Parse(await SendAsync(gateway, HttpMethod.Delete, "/api/cache?entry=" + Header(france, "x-switchyard-cache-key")))!["removed"]!.GetValue<int>());
        Assert.Equal("miss", Header(await PostAsync(gateway, Question), "x-switchyard-cache"));
        using var bad = new HttpRequestMessage(HttpMethod.Delete, "/api/cache?entry=xyz");
        bad.Headers.Authorization = new("Bearer", TestGateway.AdminSecret);
        using var refused = await gateway.Client.SendAsync(bad, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("x-switchyard-cache-key", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
