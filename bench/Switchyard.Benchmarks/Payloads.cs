using System.Text;

namespace Switchyard.Benchmarks;

/// <summary>Request, response and stream bodies shaped like real OpenAI traffic.</summary>
internal static class Payloads
{
    public static byte[] SmallRequest { get; } = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16,"temperature":0.2,"user":"bench-user"}""");

    public static byte[] LargeRequest { get; } = BuildLargeRequest(100);

    public static byte[] SmallStreamRequest { get; } = Encoding.UTF8.GetBytes(
        """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":"Say hello to the benchmark."}],"max_tokens":16}""");

    public static byte[] Completion { get; } = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench upstream. This answer has a few more words so that it looks like a short real reply.","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":120,"completion_tokens":24,"total_tokens":144,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}""");

    public static byte[] StreamChunk { get; } = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[{"index":0,"delta":{"content":" word"},"logprobs":null,"finish_reason":null}]}""");

    /// <summary>A 50-event OpenAI chat stream: role chunk, 47 content chunks, finish chunk, usage chunk, then [DONE].</summary>
    public static byte[] Stream50 { get; } = BuildStream(50);

    private static byte[] BuildLargeRequest(int messages)
    {
        var sb = new StringBuilder("""{"model":"gpt-4o-mini","messages":[""");
        for (var i = 0; i < messages; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            var role = i == 0 ? "system" : i % 2 == 1 ? "user" : "assistant";
            sb.Append("{\"role\":\"").Append(role).Append("\",\"content\":\"Message number ").Append(i)
              .Append(" of the conversation, with a sentence or two of ordinary text in it, \\\"quoted\\\" words and a unicode dash \\u2014 like real chats.\"}");
        }

        sb.Append("""],"max_tokens":256,"temperature":0.7,"stream":false,"user":"bench-user"}""");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static byte[] BuildStream(int events)
    {
        const string Head = """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_bench","choices":[""";
        var sb = new StringBuilder();
        sb.Append("data: ").Append(Head).Append("""{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""").Append("\n\n");
        for (var i = 0; i < events - 3; i++)
        {
            sb.Append("data: ").Append(Head).Append("{\"index\":0,\"delta\":{\"content\":\" word").Append(i).Append("\"},\"logprobs\":null,\"finish_reason\":null}]}").Append("\n\n");
        }

        sb.Append("data: ").Append(Head).Append("""{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""").Append("\n\n");
        sb.Append("data: ").Append(Head).Append("""],"usage":{"prompt_tokens":12,"completion_tokens":47,"total_tokens":59}}""").Append("\n\n");
        sb.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
