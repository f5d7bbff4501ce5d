using System.Text;
using Switchyard.Accounting;
using Xunit;

namespace Switchyard.Tests.Accounting;

public sealed class ResponseSummaryReaderTests
{
    [Fact]
    public void Read_ChatCompletion_ReadsUsageModelFingerprintAndFinish()
    {
        var summary = Read("""{"model":"gpt-4o-x","system_fingerprint":"fp","choices":[{"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}""");

        Assert.Equal(new TokenUsage(10, 5, 4, 0, 2), summary.Usage);
        Assert.Equal("gpt-4o-x", summary.Model);
        Assert.Equal("fp", summary.SystemFingerprint);
        Assert.Equal("stop", summary.FinishReason);
        Assert.Equal(1, summary.ChoiceCount);
        Assert.True(summary.HasContent);
    }

    [Theory]
    [InlineData("""{"choices":[{"delta":{"role":"assistant","content":""}}]}""", false)]
    [InlineData("""{"choices":[{"delta":{"content":"a"}}]}""", true)]
    [InlineData("""{"choices":[{"delta":{"tool_calls":[{"index":0}]}}]}""", true)]
    [InlineData("""{"choices":[{"delta":{"reasoning_content":"hm"}}]}""", true)]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1}}""", false)]
    [InlineData("""{"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}""", true)]
    [InlineData("""{"type":"response.output_text.delta","delta":"x"}""", true)]
    public void Read_ChunkContent_Detected(string json, bool hasContent)
    {
        Assert.Equal(hasContent, Read(json).HasContent);
    }

    [Fact]
    public void Read_AnthropicUsage_AddsCacheTokensToInput()
    {
        var summary = Read("""{"type":"message","stop_reason":"end_turn","usage":{"input_tokens":10,"output_tokens":3,"cache_read_input_tokens":5,"cache_creation_input_tokens":2}}""", anthropic: true);

        Assert.Equal(new TokenUsage(17, 3, 5, 2), summary.Usage);
        Assert.Equal("end_turn", summary.FinishReason);
    }

    [Fact]
    public void Read_ResponsesCompletedEvent_ReadsNestedUsage()
    {
        var summary = Read("""{"type":"response.completed","response":{"status":"completed","model":"m","usage":{"input_tokens":4,"output_tokens":2,"input_tokens_details":{"cached_tokens":1},"output_tokens_details":{"reasoning_tokens":1}}}}""");

        Assert.Equal(new TokenUsage(4, 2, 1, 0, 1), summary.Usage);
        Assert.Equal("m", summary.Model);
        Assert.Equal("completed", summary.FinishReason);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"usage\":\"lots\"}")]
    [InlineData("{\"usage\":{\"prompt_tokens\":\"ten\"}}")]
    public void Read_OddPayloads_NeverThrow(string json)
    {
        var summary = Read(json);

        Assert.True(summary.Usage is null || summary.Usage.Value.InputTokens == 0);
    }

    private static ResponseSummary Read(string json, bool anthropic = false) => ResponseSummaryReader.Read(Encoding.UTF8.GetBytes(json), anthropic);
}
