using System.Text;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Caching;
using Xunit;

namespace Switchyard.Tests.Caching;

public sealed class CacheKeyTests
{
    private const string Base = """{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50}""";

    [Fact]
    public void A_semantic_scope_ignores_only_the_last_turn_and_never_equals_an_exact_key()
    {
        static Switchyard.Caching.CacheKey? Scope(string body)
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            return Switchyard.Caching.CacheKey.Scope("key:k", "g", "ChatCompletions", document.RootElement);
        }

        const string First = """{"model":"m","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi there"}],"temperature":0}""";
        Assert.Equal(Scope(First), Scope(First.Replace("Hi there", "Hello", StringComparison.Ordinal)));
        Assert.NotEqual(Scope(First), Scope(First.Replace("Be brief.", "Be long.", StringComparison.Ordinal)));
        Assert.NotEqual(Scope(First), Scope(First.Replace("\"temperature\":0", "\"temperature\":1", StringComparison.Ordinal)));
        Assert.NotEqual(Scope(First), Scope(First.Replace("\"role\":\"user\"", "\"role\":\"user\",\"name\":\"bob\"", StringComparison.Ordinal)));
        Assert.NotEqual(Scope(First), Switchyard.Caching.CacheKey.Compute("key:k", "g", "ChatCompletions", Encoding.UTF8.GetBytes(First)));
    }

    [Fact]
    public void A_string_that_cannot_be_decoded_has_no_key_rather_than_an_error() =>
        Assert.Null(Switchyard.Caching.CacheKey.Compute("key:k", "g", "ChatCompletions", """{"model":"m","messages":[{"role":"user","content":"\ud800"}]}"""u8));

    [Theory]
    [InlineData("""{"max_tokens":50,"temperature":0,"messages":[{"content":"What is the capital of France?","role":"user"}],"model":"m"}""")]
    [InlineData("""{ "model" : "m", "messages" : [ { "role" : "user", "content" : "What is the capital of \u0046rance?" } ], "temperature" : 0.0, "max_tokens" : 5e1 }""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50,"stream":true,"stream_options":{"include_usage":true},"user":"u-42","metadata":{"a":"b"}}""")]
    public void Equivalent_requests_share_a_key(string other) =>
        Assert.Equal(Key(Base), Key(other));

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of Spain?"}],"temperature":0,"max_tokens":50}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0.1,"max_tokens":50}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":51}""")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50,"response_format":{"type":"json_object"}}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50,"tools":[{"type":"function","function":{"name":"f"}}]}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50,"seed":7}""")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"What is the capital of France?"}],"temperature":0,"max_tokens":50,"some_future_parameter":true}""")]
    public void Any_changed_parameter_misses(string other) =>
        Assert.NotEqual(Key(Base), Key(other));

    [Fact]
    public void Namespace_model_group_and_api_are_part_of_the_key()
    {
        var body = Encoding.UTF8.GetBytes(Base);
        var key = CacheKey.Compute("key:a", "g", "chat", body);
        Assert.NotEqual(key, CacheKey.Compute("key:b", "g", "chat", body));
        Assert.NotEqual(key, CacheKey.Compute("key:a", "h", "chat", body));
        Assert.NotEqual(key, CacheKey.Compute("key:a", "g", "responses", body));
        Assert.Matches("^[0-9a-f]{64}$", key!.Value.ToString());
    }

    [Theory]
    [InlineData("""{"n":2}""", null, "n > 1")]
    [InlineData("""{"temperature":0.9}""", 0.5, "temperature 0.9 > 0.5")]
    [InlineData("""{}""", 0.5, "temperature 1 > 0.5")] // absent counts as the providers' default of 1
    [InlineData("""{"tools":[{"type":"function","function":{"name":"send_email"}}]}""", null, "offers the side-effect tool 'send_email'")]
    [InlineData("""{"tools":[{"name":"send_email","input_schema":{}}]}""", null, "offers the side-effect tool 'send_email'")]
    public void Uncacheable_requests_say_why(string body, double? maxTemperature, string reason) =>
        Assert.Equal(reason, Cacheability.Refusal(Encoding.UTF8.GetBytes(body), maxTemperature, ["send_email"]));

    [Theory]
    [InlineData("""{"n":1,"temperature":0.2,"tools":[{"type":"function","function":{"name":"lookup"}}]}""")]
    [InlineData("""{"messages":[],"temperature":0}""")]
    public void Ordinary_requests_are_cacheable(string body) =>
        Assert.Null(Cacheability.Refusal(Encoding.UTF8.GetBytes(body), 0.5, ["send_email"]));

    [Fact]
    public void The_store_expires_by_ttl_and_evicts_least_recently_used_by_count_and_memory()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var store = new InMemoryCacheStore(time, maxEntries: 2, maxBytes: 10_000);
        var a = Entry(time, "a", TimeSpan.FromMinutes(5));
        var b = Entry(time, "b", TimeSpan.FromMinutes(10));
        var c = Entry(time, "c", TimeSpan.FromMinutes(10));
        store.Set(a);
        store.Set(b);
        Assert.Same(a, store.TryGet(a.Key)); // a is now the most recently used
        store.Set(c);                         // over 2 entries: b, the least recently used, goes
        Assert.Null(store.TryGet(b.Key));
        Assert.Equal(1, store.Evictions);

        time.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(store.TryGet(a.Key));     // expired
        Assert.Same(c, store.TryGet(c.Key));
        Assert.Equal(1, store.Count);

        var big = new InMemoryCacheStore(time, maxEntries: 100, maxBytes: 3 * (1000 + CacheEntry.Overhead));
        for (var i = 0; i < 5; i++)
        {
            big.Set(Entry(time, "k" + i, TimeSpan.FromHours(1), 1000));
        }

        Assert.Equal(3, big.Count);
        Assert.True(big.Bytes <= 3 * (1000 + CacheEntry.Overhead));
        Assert.False(big.Set(Entry(time, "huge", TimeSpan.FromHours(1), 100_000)));
        Assert.Equal(2, big.Invalidate(e => e.Space is "k3" or "k4"));
        Assert.Equal(1, big.Count);
    }

    private static CacheKey? Key(string body) => CacheKey.Compute("global", "m", "chat", Encoding.UTF8.GetBytes(body));

    private static CacheEntry Entry(TimeProvider time, string name, TimeSpan ttl, int size = 10) => new()
    {
        Key = CacheKey.Compute(name, "g", "chat", "{}"u8)!.Value,
        Space = name,
        ModelGroup = "g",
        Body = new byte[size],
        Created = time.GetUtcNow(),
        Expires = time.GetUtcNow() + ttl,
    };
}
