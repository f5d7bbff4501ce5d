using System.Text;
using Switchyard.Configuration;
using Switchyard.Routing;
using Xunit;

namespace Switchyard.Tests.Routing;

public sealed class SecretScrubberTests
{
    private const string Key = "sk-upstream-secret-0123";

    [Fact]
    public void A_raw_key_is_replaced_in_text_and_in_bytes()
    {
        var scrubber = new SecretScrubber([Key]);

        Assert.Equal("Incorrect API key provided: [redacted].", scrubber.Scrub($"Incorrect API key provided: {Key}."));
        Assert.Equal("""{"error":"Authorization: Bearer [redacted]"}""", Utf8(scrubber.Scrub(Bytes($$"""{"error":"Authorization: Bearer {{Key}}"}"""))));
    }

    [Fact]
    public void Every_occurrence_is_replaced()
    {
        var scrubber = new SecretScrubber([Key, "second-secret"]);
        var text = $"{Key}{Key} and second-secret, then {Key}";

        Assert.Equal("[redacted][redacted] and [redacted], then [redacted]", scrubber.Scrub(text));
        Assert.Equal("[redacted][redacted] and [redacted], then [redacted]", Utf8(scrubber.Scrub(Bytes(text))));
    }

    [Theory]
    [InlineData(@"tenant\/token+98765=")] // PHP, some Java: slash escaped
    [InlineData(@"tenant/token\u002B98765=")] // System.Text.Json default
    [InlineData(@"tenant\/token\u002b98765=")] // escaped slash, lower-case hex
    [InlineData(@"quote\""d-secret")] // minimal escaping of a quote
    [InlineData(@"quote\u0022d-secret")] // System.Text.Json's quote
    [InlineData(@"back\\slash-secret")]
    [InlineData(@"caf\u00e9-secret-key")] // Python's ensure_ascii
    public void A_json_escaped_secret_is_replaced(string escaped)
    {
        var scrubber = new SecretScrubber(["tenant/token+98765=", "quote\"d-secret", @"back\slash-secret", "café-secret-key"]);
        var body = $$$"""{"error":{"message":"sent {{{escaped}}}"}}""";

        Assert.Equal("""{"error":{"message":"sent [redacted]"}}""", Utf8(scrubber.Scrub(Bytes(body))));
        Assert.Equal("""{"error":{"message":"sent [redacted]"}}""", scrubber.Scrub(body));
    }

    [Theory]
    [InlineData("tenant%2Ftoken%2B98765%3D")]
    [InlineData("tenant%2ftoken%2b98765%3d")]
    public void A_url_encoded_secret_is_replaced(string encoded)
    {
        var scrubber = new SecretScrubber(["tenant/token+98765="]);

        Assert.Equal("GET /v1/models?t=[redacted] failed", scrubber.Scrub($"GET /v1/models?t={encoded} failed"));
        Assert.Equal("GET /v1/models?t=[redacted] failed", Utf8(scrubber.Scrub(Bytes($"GET /v1/models?t={encoded} failed"))));
    }

    [Fact]
    public void Bytes_quoted_by_dotnet_as_hex_are_replaced()
    {
        var scrubber = new SecretScrubber([Key]);
        var quoted = $"Received chunk header length could not be parsed: '{BitConverter.ToString(Encoding.UTF8.GetBytes(Key))}'.";

        Assert.Equal("Received chunk header length could not be parsed: '[redacted]'.", scrubber.Scrub(quoted));
    }

    [Fact]
    public void Secrets_shorter_than_six_characters_are_ignored()
    {
        var scrubber = new SecretScrubber(["abc12", "", null]);

        Assert.True(scrubber.IsEmpty);
        Assert.Equal("abc12 went wrong", scrubber.Scrub("abc12 went wrong"));
    }

    [Fact]
    public void Text_without_a_secret_is_returned_as_the_same_instance()
    {
        var scrubber = new SecretScrubber([Key]);
        var text = "Upstream error 500: The server had an error while processing your request.";
        var body = Bytes(text);

        Assert.Same(text, scrubber.Scrub(text));
        Assert.Same(body, scrubber.Scrub(body));
        Assert.Same(body, SecretScrubber.None.Scrub(body));
        Assert.Null(scrubber.Scrub((string?)null));
    }

    [Fact]
    public void Where_two_forms_start_together_the_longer_is_replaced_whole()
    {
        var scrubber = new SecretScrubber(["secret-one", "secret-one-and-more"]);

        Assert.Equal("[redacted]!", scrubber.Scrub("secret-one-and-more!"));
        Assert.Equal("[redacted]!", Utf8(scrubber.Scrub(Bytes("secret-one-and-more!"))));
    }

    [Fact]
    public void A_deployment_scrubs_its_key_header_values_and_url_credentials_but_not_ordinary_query_parameters()
    {
        var scrubber = SecretScrubber.For(new DeploymentOptions
        {
            Name = "d",
            Provider = "openai",
            Model = "m",
            ApiKey = Key,
            BaseUrl = "https://proxy-user:pr0xy%2Fpass@llm.example.com/v1?api-version=2024-10-21&key=query-key-123&sig=s1gn%2Bature",
            Headers = new(StringComparer.OrdinalIgnoreCase) { ["x-tenant"] = "tenant-token-98765", ["Authorization"] = "Bearer header-bearer-token" },
        });

        Assert.Equal(
            "[redacted] [redacted] [redacted] [redacted] [redacted] [redacted] [redacted]",
            scrubber.Scrub($"{Key} tenant-token-98765 header-bearer-token pr0xy/pass pr0xy%2Fpass query-key-123 s1gn+ature"));
        Assert.Equal("api-version=2024-10-21 for proxy-user at llm.example.com, Bearer ok", scrubber.Scrub("api-version=2024-10-21 for proxy-user at llm.example.com, Bearer ok"));
    }

    [Fact]
    public void A_deployment_without_credentials_scrubs_nothing()
    {
        var scrubber = SecretScrubber.For(new DeploymentOptions { Name = "local", Provider = "openai", Model = "llama", BaseUrl = "http://127.0.0.1:11434" });

        Assert.True(scrubber.IsEmpty);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
