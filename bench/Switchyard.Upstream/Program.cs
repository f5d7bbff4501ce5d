using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;

// A minimal, fast OpenAI-compatible upstream for load tests: fixed answers, no logging, and no delay
// unless asked for one (to see what a gateway adds next to a model that takes real time to answer).
// Usage: switchyard-upstream [--port N] [--delay-ms N]   (binds 127.0.0.1 only; default port 9100)
var port = 9100;
for (var i = 0; i + 1 < args.Length; i++)
{
    if (args[i] == "--port")
    {
        port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    }
    else if (args[i] == "--delay-ms")
    {
        Upstream.Delay = TimeSpan.FromMilliseconds(int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture));
    }
}

var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.Sources.Clear();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(System.Net.IPAddress.Loopback, port);
});

var app = builder.Build();
app.MapPost("/v1/chat/completions", Upstream.ChatAsync);
app.MapGet("/v1/models", () => Results.Bytes(Upstream.Models, "application/json"));
app.MapGet("/", () => Results.Text("ok"));
await app.RunAsync().ConfigureAwait(false);

internal static class Upstream
{
    /// <summary>How long each answer waits before its first byte.</summary>
    public static TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public static readonly byte[] Models = Encoding.UTF8.GetBytes(
        """{"object":"list","data":[{"id":"bench-model","object":"model","created":0,"owned_by":"bench"}]}""");

    private static readonly byte[] s_completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-model","system_fingerprint":"fp_bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench upstream."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19}}""");

    private static readonly byte[] s_stream = BuildStream(includeUsage: false);
    private static readonly byte[] s_streamWithUsage = BuildStream(includeUsage: true);

    private static byte[] BuildStream(bool includeUsage)
    {
        const string Head = """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench-model","system_fingerprint":"fp_bench","choices":[""";
        var sb = new StringBuilder();
        sb.Append("data: ").Append(Head).Append("""{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}""").Append("\n\n");
        foreach (var word in (string[])["Hello", " from", " the", " bench", " upstream."])
        {
            sb.Append("data: ").Append(Head).Append("{\"index\":0,\"delta\":{\"content\":\"").Append(word).Append("\"},\"logprobs\":null,\"finish_reason\":null}]}").Append("\n\n");
        }

        sb.Append("data: ").Append(Head).Append("""{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}""").Append("\n\n");
        if (includeUsage)
        {
            sb.Append("data: ").Append(Head).Append("""],"usage":{"prompt_tokens":12,"completion_tokens":5,"total_tokens":17}}""").Append("\n\n");
        }

        sb.Append("data: [DONE]\n\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static async Task ChatAsync(HttpContext http)
    {
        // Bodies here are small; read them whole and look for the two flags without a JSON parse.
        var reader = http.Request.BodyReader;
        var stream = false;
        var includeUsage = false;
        while (true)
        {
            var result = await reader.ReadAsync(http.RequestAborted).ConfigureAwait(false);
            if (result.IsCompleted)
            {
                var body = result.Buffer.IsSingleSegment ? result.Buffer.FirstSpan : result.Buffer.ToArray();
                stream = Contains(body, "\"stream\":true"u8) || Contains(body, "\"stream\": true"u8);
                includeUsage = Contains(body, "\"include_usage\":true"u8) || Contains(body, "\"include_usage\": true"u8);
                reader.AdvanceTo(result.Buffer.End);
                break;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, http.RequestAborted).ConfigureAwait(false);
        }

        var response = http.Response;
        response.StatusCode = 200;
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = s_completion.Length;
            await response.Body.WriteAsync(s_completion, http.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.WriteAsync(includeUsage ? s_streamWithUsage : s_stream, http.RequestAborted).ConfigureAwait(false);
    }

    private static bool Contains(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle) >= 0;
}
