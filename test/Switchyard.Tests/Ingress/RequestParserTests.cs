using System.Text;
using Switchyard.Ingress;
using Xunit;

namespace Switchyard.Tests.Ingress;

public sealed class RequestParserTests
{
    private static readonly RequestLimits s_limits = new(MaxDepth: 64, MaxMessages: 100);

    [Fact]
    public void TryParse_ChatRequest_ReadsFieldsAndRanges()
    {
        var body = Encoding.UTF8.GetBytes("""  {"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}],"model":"gpt-4o","stream":true,"stream_options":{"include_usage":false,"x":[1]},"user":"u1"}""");

        Assert.True(RequestParser.TryParse(body, s_limits, out var request, out var error), error);

        Assert.Equal("gpt-4o", request.Model);
        Assert.True(request.Stream);
        Assert.False(request.IncludeUsage);
        Assert.Equal(2, request.MessageCount);
        Assert.Equal("u1", request.User);
        Assert.Equal(2, request.ObjectStart);
        Assert.Equal("\"gpt-4o\"", Encoding.UTF8.GetString(body[request.ModelValue]));
        Assert.Equal("{\"include_usage\":false,\"x\":[1]}", Encoding.UTF8.GetString(body[request.StreamOptionsValue]));
    }

    [Fact]
    public void TryParse_EscapedModel_IsUnescaped()
    {
        var body = Encoding.UTF8.GetBytes("""{"model":"a\/b\u0041"}""");

        Assert.True(RequestParser.TryParse(body, s_limits, out var request, out _));

        Assert.Equal("a/bA", request.Model);
    }

    [Fact]
    public void TryParse_NestedKeysNamedLikeTopLevelOnes_AreIgnored()
    {
        var body = Encoding.UTF8.GetBytes("""{"metadata":{"model":"evil","stream":"x"},"model":"m","tools":[{"stream":1}]}""");

        Assert.True(RequestParser.TryParse(body, s_limits, out var request, out var error), error);

        Assert.Equal("m", request.Model);
        Assert.False(request.Stream);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "not valid JSON")]
    [InlineData("null", "must be a JSON object")]
    [InlineData("{\"model\":\"m\"", "not valid JSON")]
    [InlineData("{\"model\":null}", "'model' must be a string")]
    [InlineData("{\"model\":\"m\",\"stream\":1}", "'stream' must be a boolean")]
    [InlineData("{\"model\":\"m\",\"stream_options\":[]}", "'stream_options' must be an object")]
    [InlineData("{\"model\":\"m\",\"user\":5}", "'user' must be a string")]
    [InlineData("{\"model\":\"m\"}}", "data after the JSON object")]
    [InlineData("{\"model\":\"m\",}", "not valid JSON")]
    [InlineData("{'model':'m'}", "not valid JSON")]
    public void TryParse_BadInput_ReturnsReadableError(string json, string expected)
    {
        Assert.False(RequestParser.TryParse(Encoding.UTF8.GetBytes(json), s_limits, out _, out var error));

        Assert.Contains(expected, error);
    }

    [Fact]
    public void TryParse_InvalidUtf8InsideString_IsRejected()
    {
        byte[] body = [.. "{\"model\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        Assert.False(RequestParser.TryParse(body, s_limits, out _, out var error));

        Assert.Contains("UTF-8", error);
    }

    [Fact]
    public void TryParse_TooDeep_IsRejected()
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"m\",\"x\":" + new string('[', 70) + new string(']', 70) + "}");

        Assert.False(RequestParser.TryParse(body, s_limits, out _, out var error));

        Assert.Contains("depth", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TryParse_MessageLimit_UsesGreaterThan()
    {
        var exactly = "{\"model\":\"m\",\"messages\":[" + string.Join(",", Enumerable.Repeat("{}", 100)) + "]}";
        var oneMore = "{\"model\":\"m\",\"messages\":[" + string.Join(",", Enumerable.Repeat("{}", 101)) + "]}";

        Assert.True(RequestParser.TryParse(Encoding.UTF8.GetBytes(exactly), s_limits, out _, out _));
        Assert.False(RequestParser.TryParse(Encoding.UTF8.GetBytes(oneMore), s_limits, out _, out var error));
        Assert.Contains("server.max_messages", error);
    }
}
