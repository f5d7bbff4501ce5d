using System.Text;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Tests.TestUtilities;

/// <summary>Canned provider answers in each wire format.</summary>
internal static class UpstreamReplies
{
    public const string ChatCompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06","system_fingerprint":"fp_up",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from upstream"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":1}}}
        """;

    public static readonly string[] ChatChunks =
    [
        """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","system_fingerprint":"fp_up","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}""",
        """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}""",
        """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}],"usage":null}""",
        """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}""",
        """{"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}""",
    ];

    public const string AnthropicMessage = """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hi from Claude"}],
         "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":5,"cache_read_input_tokens":3,"cache_creation_input_tokens":0}}
        """;

    public static readonly (string Event, string Data)[] AnthropicEvents =
    [
        ("message_start", """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"usage":{"input_tokens":10,"output_tokens":1}}}"""),
        ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
        ("ping", """{"type":"ping"}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi "}}"""),
        ("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"there"}}"""),
        ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
        ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":7}}"""),
        ("message_stop", """{"type":"message_stop"}"""),
    ];

    public static Task Json(HttpContext http, string json, int status = 200)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsync(json);
    }

    public static async Task OpenAIStream(HttpContext http, IEnumerable<string> chunks, bool done = true, TimeSpan delay = default)
    {
        http.Response.ContentType = "text/event-stream";
        foreach (var chunk in chunks)
        {
            await http.Response.WriteAsync($"data: {chunk}\n\n");
            await http.Response.Body.FlushAsync();
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay);
            }
        }

        if (done)
        {
            await http.Response.WriteAsync("data: [DONE]\n\n");
        }
    }

    public static async Task AnthropicStream(HttpContext http, IEnumerable<(string Event, string Data)> events)
    {
        http.Response.ContentType = "text/event-stream";
        foreach (var (name, data) in events)
        {
            await http.Response.WriteAsync($"event: {name}\ndata: {data}\n\n");
            await http.Response.Body.FlushAsync();
        }
    }

    public static string Sse(IEnumerable<string> chunks) => string.Concat(chunks.Select(c => $"data: {c}\n\n")) + "data: [DONE]\n\n";

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}
