using System.Text;
using Switchyard.Buffers;
using Switchyard.Streaming;
using Xunit;

namespace Switchyard.Tests.Streaming;

public sealed class SseParserTests
{
    [Theory]
    [InlineData("data: a\n\n", 9)]
    [InlineData("data: a\r\n\r\n", 11)]
    [InlineData("event: x\ndata: a\n\nrest", 18)]
    [InlineData("data: a\n", -1)]
    [InlineData("data: a\r", -1)]
    [InlineData("data: a", -1)]
    [InlineData("", -1)]
    public void FindEventEnd_FindsTheBlankLine(string input, int expected)
    {
        Assert.Equal(expected, SseParser.FindEventEnd(Encoding.UTF8.GetBytes(input)));
    }

    [Fact]
    public void Parse_ReadsEventNameDataAndSkipsComments()
    {
        using var scratch = new PooledBufferWriter();
        var raw = Encoding.UTF8.GetBytes(": keep-alive\nevent: message_start\ndata:{\"a\":1}\nid: 7\n\n");

        var parsed = SseParser.Parse(raw, scratch);

        Assert.Equal("message_start", Encoding.UTF8.GetString(parsed.Name));
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(parsed.Data));
        Assert.Equal(raw.Length, parsed.Raw.Length);
    }

    [Fact]
    public void Parse_MultipleDataLines_JoinedWithNewline()
    {
        using var scratch = new PooledBufferWriter();

        var parsed = SseParser.Parse(Encoding.UTF8.GetBytes("data: one\ndata: two\r\ndata:three\n\n"), scratch);

        Assert.Equal("one\ntwo\nthree", Encoding.UTF8.GetString(parsed.Data));
    }

    [Fact]
    public void Parse_Done_IsRecognised()
    {
        using var scratch = new PooledBufferWriter();

        Assert.True(SseParser.Parse("data: [DONE]\n\n"u8, scratch).IsDone);
    }

    [Fact]
    public void SplitAcrossReads_EveryByteBoundary_YieldsSameEvents()
    {
        var stream = Encoding.UTF8.GetBytes("data: {\"x\":1}\r\n\r\nevent: e\ndata: y\n\ndata: [DONE]\n\n");
        for (var cut = 1; cut < stream.Length; cut++)
        {
            using var buffer = new PooledBufferWriter(8);
            using var scratch = new PooledBufferWriter(8);
            var events = new List<string>();
            foreach (var part in new[] { stream[..cut], stream[cut..] })
            {
                buffer.Write(part);
                int end;
                while ((end = SseParser.FindEventEnd(buffer.WrittenSpan)) >= 0)
                {
                    events.Add(Encoding.UTF8.GetString(SseParser.Parse(buffer.WrittenSpan[..end], scratch).Data));
                    buffer.Consume(end);
                }
            }

            Assert.Equal(["{\"x\":1}", "y", "[DONE]"], events);
        }
    }
}

public sealed class PassthroughTapTests
{
    [Theory]
    [InlineData("{\"choices\":[{\"delta\":{\"content\":\"a\"},\"finish_reason\":null}],\"usage\":null}", null, false)]
    [InlineData("{\"choices\":[{\"delta\":{},\"finish_reason\" : \"stop\"}],\"usage\":null}", "stop", false)]
    [InlineData("{\"choices\":[],\"usage\" : {\"prompt_tokens\":3,\"completion_tokens\":4}}", null, true)]
    [InlineData("{\"choices\":[{\"delta\":{\"content\":\"usage\"}}]}", null, false)]
    public void OnEvent_AfterFirstToken_StillSeesFinishAndUsage(string laterChunk, string? finish, bool usage)
    {
        var tap = new PassthroughTap(PassthroughTap.Format.OpenAIChat, clientWantsUsage: true);
        using var output = new Switchyard.Buffers.PooledBufferWriter();
        using var scratch = new Switchyard.Buffers.PooledBufferWriter();
        tap.OnEvent(SseParser.Parse(System.Text.Encoding.UTF8.GetBytes("data: {\"model\":\"m\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"), scratch), output);
        Assert.True(tap.SawContent);

        tap.OnEvent(SseParser.Parse(System.Text.Encoding.UTF8.GetBytes($"data: {laterChunk}\n\n"), scratch), output);

        Assert.Equal(finish, tap.FinishReason);
        Assert.Equal(usage, tap.UsageReported);
        Assert.Equal(usage ? 7 : 0, tap.Usage.TotalTokens);
    }
}
