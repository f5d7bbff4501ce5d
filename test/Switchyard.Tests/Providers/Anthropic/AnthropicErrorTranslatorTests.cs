using Switchyard.Providers.Anthropic;
using Xunit;
using static Switchyard.Tests.Providers.Anthropic.TestJson;

namespace Switchyard.Tests.Providers.Anthropic;

public sealed class AnthropicErrorTranslatorTests
{
    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "invalid_request_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "server_error")]
    [InlineData(529, "server_error")]
    public void Anthropic_error_becomes_openai_error(int status, string type)
    {
        var body = AnthropicErrorTranslator.ToOpenAI(status, Bytes("""{"type":"error","error":{"type":"some_error","message":"It broke"}}"""));

        Equal($$$"""{"error":{"message":"It broke","type":"{{{type}}}","param":null,"code":"some_error"}}""", body);
    }

    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(503, "api_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(422, "invalid_request_error")]
    public void OpenAI_error_becomes_anthropic_error_typed_by_status(int status, string type)
    {
        var body = AnthropicErrorTranslator.ToAnthropic(status, Bytes("""{"error":{"message":"It broke","type":"whatever","param":null,"code":"x"}}"""));

        Equal($$$"""{"type":"error","error":{"type":"{{{type}}}","message":"It broke"}}""", body);
    }

    [Fact]
    public void Other_openai_compatible_error_shapes_are_understood()
    {
        Equal("""{"type":"error","error":{"type":"invalid_request_error","message":"plain"}}""", AnthropicErrorTranslator.ToAnthropic(400, Bytes("""{"error":"plain"}""")));
        Equal("""{"type":"error","error":{"type":"not_found_error","message":"no model"}}""", AnthropicErrorTranslator.ToAnthropic(404, Bytes("""{"detail":"no model"}""")));
    }

    [Fact]
    public void Non_json_bodies_become_the_truncated_message()
    {
        var html = "<html><body>" + new string('x', 2000) + "</body></html>";
        var openAi = Parse(AnthropicErrorTranslator.ToOpenAI(502, Bytes(html)));
        var message = openAi["error"]!["message"]!.GetValue<string>();

        Assert.StartsWith("<html><body>xxx", message, StringComparison.Ordinal);
        Assert.True(message.Length <= 501);
        Assert.Equal("server_error", openAi["error"]!["type"]!.GetValue<string>());
        Assert.Null(openAi["error"]!["code"]);

        Equal("""{"type":"error","error":{"type":"api_error","message":"Bad Gateway"}}""", AnthropicErrorTranslator.ToAnthropic(502, Bytes("  Bad Gateway\n")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[1,2]")]
    [InlineData("""{"error":{"message":""}}""")]
    public void Empty_or_messageless_bodies_fall_back_to_the_status(string body)
    {
        Assert.Equal("The upstream returned HTTP 503.", Parse(AnthropicErrorTranslator.ToOpenAI(503, Bytes(body)))["error"]!["message"]!.GetValue<string>());
        Assert.Equal("The upstream returned HTTP 503.", Parse(AnthropicErrorTranslator.ToAnthropic(503, Bytes(body)))["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public void Invalid_utf8_does_not_throw()
    {
        var body = AnthropicErrorTranslator.ToAnthropic(500, [0xFF, 0xFE, 0x41]);
        Assert.Equal("api_error", Parse(body)["error"]!["type"]!.GetValue<string>());
    }
}
