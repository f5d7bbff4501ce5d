using System.Text;

namespace Switchyard.Chaos;

/// <summary>Every byte the chaos upstream answers with, built once at start.</summary>
internal sealed class UpstreamPayloads
{
    public UpstreamPayloads(string model)
    {
        var m = JsonString(model);
        Models = Utf8($$$"""{"object":"list","data":[{"id":{{{m}}},"object":"model","created":0,"owned_by":"chaos"}]}""");
        Completion = Utf8($$$"""{"id":"chatcmpl-chaos","object":"chat.completion","created":1700000000,"model":{{{m}}},"system_fingerprint":"fp_chaos","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the chaos upstream."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}""");

        var head = $$$"""data: {"id":"chatcmpl-chaos","object":"chat.completion.chunk","created":1700000000,"model":{{{m}}},"system_fingerprint":"fp_chaos","choices":[""";
        var chunks = new List<byte[]>
        {
            Utf8(head + """{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""" + "\n\n"),
        };
        foreach (var word in (string[])["Hello", " from", " the", " chaos", " upstream."])
        {
            chunks.Add(Utf8(head + "{\"index\":0,\"delta\":{\"content\":\"" + word + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"));
        }

        chunks.Add(Utf8(head + """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""" + "\n\n"));
        Chunks = [.. chunks];
        var usage = Utf8(head + """],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""" + "\n\n");
        var done = "data: [DONE]\n\n"u8.ToArray();
        Stream = Concat([.. Chunks, done]);
        StreamWithUsage = Concat([.. Chunks, usage, done]);
    }

    public byte[] Models { get; }

    public byte[] Completion { get; }

    /// <summary>The content chunks of a stream, without the usage chunk and <c>[DONE]</c>.</summary>
    public byte[][] Chunks { get; }

    public byte[] Stream { get; }

    public byte[] StreamWithUsage { get; }

    /// <summary>The first <paramref name="count"/> chunks of a stream, as one buffer.</summary>
    public byte[] StreamPrefix(int count) => Concat(Chunks.Take(Math.Min(count, Chunks.Length)));

    public static byte[] Error(int status)
    {
        var (type, code) = status switch
        {
            429 => ("rate_limit_exceeded", "\"rate_limit_exceeded\""),
            >= 500 => ("server_error", "null"),
            401 => ("authentication_error", "\"invalid_api_key\""),
            _ => ("invalid_request_error", "null"),
        };
        return Utf8($$$"""{"error":{"message":"chaos upstream: injected HTTP {{{status}}}","type":"{{{type}}}","param":null,"code":{{{code}}}}}""");
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string JsonString(string s) => "\"" + System.Text.Json.JsonEncodedText.Encode(s) + "\"";

    private static byte[] Concat(IEnumerable<byte[]> parts)
    {
        using var ms = new MemoryStream();
        foreach (var p in parts)
        {
            ms.Write(p);
        }

        return ms.ToArray();
    }
}
