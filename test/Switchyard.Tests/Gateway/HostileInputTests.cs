using Xunit;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;

namespace Switchyard.Tests.Gateway;

/// <summary>Bad input gets a clear 4xx in the API's own error shape, and the gateway keeps serving.</summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    public static TheoryData<string, string, string> OpenAICases => new()
    {
        { "truncated", """{"model":"sandbox","messages":[{"role":"user","cont""", "not valid JSON" },
        { "not json", "hello there", "not valid JSON" },
        { "array top level", """[{"model":"sandbox"}]""", "must be a JSON object" },
        { "empty", "", "empty" },
        { "model number", """{"model":42,"messages":[]}""", "'model' must be a string" },
        { "stream string", """{"model":"sandbox","stream":"yes","messages":[]}""", "'stream' must be a boolean" },
        { "messages object", """{"model":"sandbox","messages":{"role":"user"}}""", "'messages' must be an array" },
        { "message string", """{"model":"sandbox","messages":["hi"]}""", "'messages[0]' must be an object" },
        { "missing model", """{"messages":[]}""", "'model' is required" },
        { "trailing garbage", """{"model":"sandbox","messages":[]} {"x":1}""", "data after the JSON object" },
        { "comment", """{"model":"sandbox", /* c */ "messages":[]}""", "not valid JSON" },
        { "stream_options wrong", """{"model":"sandbox","stream":true,"stream_options":{"include_usage":"yes"},"messages":[]}""", "include_usage' must be a boolean" },
    };

    [Theory]
    [MemberData(nameof(OpenAICases))]
    public async Task ChatCompletions_BadBody_Returns400InOpenAIShape(string name, string body, string expected)
    {
        _ = name;
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Contains(expected, error["message"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("x-switchyard-trace-id"));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task Messages_BadBody_Returns400InAnthropicShape()
    {
        using var response = await _gateway.Client.PostAsync("/v1/messages", new StringContent("{\"model\":", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task InvalidUtf8_Returns400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"model":"sandbox","messages":[{"role":"user","content":"AB"}]}""");
        var index = Array.IndexOf(bytes, (byte)'A');
        bytes[index] = 0xC3;
        bytes[index + 1] = 0x28; // 0xC3 must be followed by a continuation byte
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(Ct));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task FiftyMegabyteBody_Returns413()
    {
        var filler = new string('a', 50 * 1024 * 1024);
        using var content = new StringContent($$"""{"model":"sandbox","messages":[{"role":"user","content":"{{filler}}"}]}""", Encoding.UTF8, "application/json");

        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task FiftyMegabyteBody_Chunked_Returns413()
    {
        using var content = new StreamContent(new RepeatingStream(50 * 1024 * 1024));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task TenThousandMessages_Returns400()
    {
        var messages = string.Join(",", Enumerable.Repeat("""{"role":"user","content":"hi"}""", 10_000));
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"sandbox","messages":[{{messages}}]}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Too many messages", await response.Content.ReadAsStringAsync(Ct));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task DeeplyNestedJson_Returns400()
    {
        var nested = new string('[', 100_000) + new string(']', 100_000);
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent($$"""{"model":"sandbox","messages":[],"x":{{nested}}}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("depth", await response.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task UnknownModel_Returns404()
    {
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"nope","messages":[]}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongContentType_Returns415()
    {
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent("model=sandbox", Encoding.UTF8, "application/x-www-form-urlencoded"), Ct);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task UnknownEndpoint_Returns404JsonError()
    {
        using var response = await _gateway.Client.PostAsync("/v1/nothing", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_url", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task EveryBadRequest_IsStillRecorded()
    {
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent("{oops", Encoding.UTF8, "application/json"), Ct);
        var row = await RecordedCalls.WaitForAsync(_gateway, response.Headers.GetValues("x-switchyard-trace-id").Single(), Ct);

        Assert.Equal(400L, row["status"]);
        Assert.Equal("invalid_request_error", row["error_type"]);
    }

    private async Task AssertStillServesAsync()
    {
        using var response = await _gateway.Client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"sandbox","messages":[{"role":"user","content":"still there?"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A body of unknown length (chunked), so the limit is enforced while reading.</summary>
    private sealed class RepeatingStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
