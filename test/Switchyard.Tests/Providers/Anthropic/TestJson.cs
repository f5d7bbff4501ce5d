using Xunit;
using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchyard.Tests.Providers.Anthropic;

/// <summary>Assertion helpers: JSON compared structurally, so tests state the expected body readably.</summary>
internal static class TestJson
{
    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    public static JsonNode Parse(byte[]? body)
    {
        Assert.NotNull(body);
        return JsonNode.Parse(body) ?? throw new InvalidOperationException("null JSON");
    }

    public static void Equal(string expected, byte[]? actual)
    {
        Assert.NotNull(actual);
        var expectedNode = JsonNode.Parse(expected);
        var actualNode = JsonNode.Parse(actual);
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actualNode),
            $"JSON differs.\nExpected: {expectedNode?.ToJsonString()}\nActual:   {actualNode?.ToJsonString()}");
    }

    public static void Equal(string expected, JsonNode? actual)
    {
        var expectedNode = JsonNode.Parse(expected);
        Assert.True(
            JsonNode.DeepEquals(expectedNode, actual),
            $"JSON differs.\nExpected: {expectedNode?.ToJsonString()}\nActual:   {actual?.ToJsonString()}");
    }

    /// <summary>Splits SSE output into its events, each as its raw text (without the blank line).</summary>
    public static List<string> Events(ArrayBufferWriter<byte> output) =>
        [.. Text(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>The JSON data of an SSE event.</summary>
    public static JsonNode Data(string sseEvent)
    {
        var line = sseEvent.Split('\n').Single(l => l.StartsWith("data: ", StringComparison.Ordinal));
        return JsonNode.Parse(line["data: ".Length..]) ?? throw new InvalidOperationException("null JSON");
    }

    /// <summary>The <c>event:</c> name of an SSE event, or null.</summary>
    public static string? Name(string sseEvent) =>
        sseEvent.Split('\n').FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..];
}
