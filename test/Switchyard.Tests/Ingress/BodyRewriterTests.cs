using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Buffers;
using Switchyard.Ingress;
using Xunit;

namespace Switchyard.Tests.Ingress;

public sealed class BodyRewriterTests
{
    [Theory]
    [InlineData("""{"model":"a","messages":[]}""", false, """{"model":"upstream","messages":[]}""")]
    [InlineData("""{ "messages":[], "model" : "a" }""", false, """{ "messages":[], "model" : "upstream" }""")]
    [InlineData("""{"model":"a","stream":true}""", true, """{"stream_options":{"include_usage":true},"model":"upstream","stream":true}""")]
    [InlineData("""{"model":"a","stream":true,"stream_options":{"include_usage":true}}""", true, """{"model":"upstream","stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"model":"a","stream":false}""", true, """{"model":"upstream","stream":false}""")]
    [InlineData("""{"model":"a","stream":true}""", false, """{"model":"upstream","stream":true}""")]
    public void Rewrite_SwapsModelAndAsksForUsage(string input, bool forceUsage, string expected)
    {
        Assert.Equal(expected, Rewrite(input, "upstream", forceUsage));
    }

    [Fact]
    public void Rewrite_StreamOptionsBeforeModel_BothEditedInOrder()
    {
        var output = Rewrite("""{"stream_options":{"include_usage":false,"include_obfuscation":true},"stream":true,"model":"a"}""", "b", forceUsage: true);

        var node = JsonNode.Parse(output)!;
        Assert.Equal("b", node["model"]!.GetValue<string>());
        Assert.True(node["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.True(node["stream_options"]!["include_obfuscation"]!.GetValue<bool>());
    }

    [Fact]
    public void Rewrite_ModelNeedingEscapes_IsValidJson()
    {
        var output = Rewrite("""{"model":"a"}""", "we\"ird\\model/ü", forceUsage: false);

        Assert.Equal("we\"ird\\model/ü", JsonNode.Parse(output)!["model"]!.GetValue<string>());
    }

    private static string Rewrite(string input, string model, bool forceUsage)
    {
        var body = Encoding.UTF8.GetBytes(input);
        Assert.True(RequestParser.TryParse(body, new RequestLimits(64, 100), out var request, out _));
        using var output = new PooledBufferWriter();
        BodyRewriter.Rewrite(body, request, JsonEncodedText.Encode(model), forceUsage, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
