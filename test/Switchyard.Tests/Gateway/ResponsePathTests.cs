using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Gateway;
using Switchyard.Responses;
using Switchyard.Streaming;
using Switchyard.Tests.Caching;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// A stage at the output-guardrails place adds a response component, and the component sees every
/// answer the call gives: live plain and streamed, replayed from the cache, and errors, and can
/// rewrite it, hold it back or replace it with an error in the client's format.
/// </summary>
public sealed class ResponsePathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_component_rewrites_a_live_plain_answer_and_the_trace_keeps_what_the_client_got()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await StartAsync(upstream, () => new Replace("Hel", "J"));

        using var response = await CacheHarness.PostAsync(gateway, CacheHarness.Question, headers: ("x-switchyard-cache", "off"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Jlo from upstream", await ContentAsync(response));
        var row = await RecordedCalls.WaitForAsync(gateway, TraceId(response), Ct);
        Assert.Contains("Jlo from upstream", (string)row["response_content"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_component_rewrites_the_events_of_a_live_stream()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await StartAsync(upstream, () => new Replace("Hel", "J"));

        using var response = await CacheHarness.PostAsync(gateway, Streaming(CacheHarness.Question), headers: ("x-switchyard-cache", "off"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("Jlo", StreamedContent(body));
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_cached_answer_is_refused_on_replay_too()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await StartAsync(upstream, () => new Refuse("upstream", onlyWhenAsked: true));

        using var miss = await CacheHarness.PostAsync(gateway, CacheHarness.Question);
        Assert.Equal(HttpStatusCode.OK, miss.StatusCode);
        await CacheHarness.StoredAsync(gateway, 1);

        using var hit = await CacheHarness.PostAsync(gateway, CacheHarness.Question, headers: ("x-test-rewrite", "yes"));
        Assert.Equal(HttpStatusCode.BadRequest, hit.StatusCode);
        Assert.Equal("hit", hit.Headers.GetValues("x-switchyard-cache").Single());
        Assert.Equal("output_refused", (string?)JsonNode.Parse(await hit.Content.ReadAsStringAsync(Ct))!["error"]!["code"]);
        var row = await RecordedCalls.WaitForAsync(gateway, TraceId(hit), Ct);
        Assert.Equal(400L, row["status"]);
    }

    [Fact]
    public async Task A_cached_replay_passes_through_the_components_and_the_cache_keeps_the_models_answer()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await StartAsync(upstream, () => new Replace("Hel", "J", onlyWhenAsked: true));

        // The miss is rewritten for its client, but the cache keeps what the model said.
        using var miss = await CacheHarness.PostAsync(gateway, CacheHarness.Question, headers: ("x-test-rewrite", "yes"));
        Assert.Equal("Jlo from upstream", await ContentAsync(miss));
        await CacheHarness.StoredAsync(gateway, 1);

        using var plainHit = await CacheHarness.PostAsync(gateway, CacheHarness.Question);
        Assert.Equal("hit", plainHit.Headers.GetValues("x-switchyard-cache").Single());
        Assert.Equal("Hello from upstream", await ContentAsync(plainHit));

        using var rewrittenHit = await CacheHarness.PostAsync(gateway, CacheHarness.Question, headers: ("x-test-rewrite", "yes"));
        Assert.Equal("hit", rewrittenHit.Headers.GetValues("x-switchyard-cache").Single());
        Assert.Equal("Jlo from upstream", await ContentAsync(rewrittenHit));

        using var streamedHit = await CacheHarness.PostAsync(gateway, Streaming(CacheHarness.Question), headers: ("x-test-rewrite", "yes"));
        Assert.Equal("hit", streamedHit.Headers.GetValues("x-switchyard-cache").Single());
        Assert.Equal("Jlo from upstream", StreamedContent(await streamedHit.Content.ReadAsStringAsync(Ct)));
        Assert.Single(upstream.Received);
    }

    [Fact]
    public async Task A_component_replaces_a_plain_answer_with_an_error_in_each_clients_format()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await StartAsync(upstream, () => new Refuse("upstream"));

        using var openAi = await CacheHarness.PostAsync(gateway, CacheHarness.Question);
        Assert.Equal(HttpStatusCode.BadRequest, openAi.StatusCode);
        var error = JsonNode.Parse(await openAi.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("output_refused", (string?)error["code"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        var row = await RecordedCalls.WaitForAsync(gateway, TraceId(openAi), Ct);
        Assert.Equal(400L, row["status"]);

        // An answer the client did not get is not cached: the next call asks the model again.
        using var again = await CacheHarness.PostAsync(gateway, CacheHarness.Question);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("miss", again.Headers.GetValues("x-switchyard-cache").Single());
        Assert.Equal(2, upstream.Received.Count);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"m","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };
        using var anthropic = await gateway.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, anthropic.StatusCode);
        var anthropicError = JsonNode.Parse(await anthropic.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("error", (string?)anthropicError["type"]);
        Assert.Equal("invalid_request_error", (string?)anthropicError["error"]!["type"]);
    }

    [Fact]
    public async Task A_component_cuts_a_stream_with_an_error_event_and_nothing_after_it_reaches_the_client()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var gateway = await StartAsync(upstream, () => new Refuse("\"lo\""));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(Streaming(CacheHarness.Question), Encoding.UTF8, "application/json") };
        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        var body = await ReadUntilClosedAsync(response);
        Assert.Contains("\"content\":\"Hel\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"content\":\"lo\"", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"output_refused\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", body, StringComparison.Ordinal);
        var row = await RecordedCalls.WaitForAsync(gateway, TraceId(response), Ct);
        Assert.Equal(400L, row["status"]);
    }

    [Fact]
    public async Task A_component_that_holds_events_back_releases_them_at_the_end_unchanged()
    {
        await using var upstream = await CacheHarness.Upstream();
        await using var direct = await StartAsync(upstream, () => null);
        await using var held = await StartAsync(upstream, () => new HoldBack());

        using var expected = await CacheHarness.PostAsync(direct, Streaming(CacheHarness.Question), headers: ("x-switchyard-cache", "off"));
        using var actual = await CacheHarness.PostAsync(held, Streaming(CacheHarness.Question), headers: ("x-switchyard-cache", "off"));

        Assert.Equal(await expected.Content.ReadAsStringAsync(Ct), await actual.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Components_added_later_see_the_answer_first()
    {
        await using var upstream = await CacheHarness.Upstream();
        // The outer stage's component (added first) sees the inner one's output: "Hel" → "J" → "Z".
        await using var gateway = await CacheHarness.CacheGateway(upstream, services: services =>
        {
            services.AddSingleton(new PlacedStage(PipelinePlace.OutputGuardrails, new AddingStage(() => new Replace("J", "Z"))));
            services.AddSingleton(new PlacedStage(PipelinePlace.OutputGuardrails, new AddingStage(() => new Replace("Hel", "J"))));
        });

        using var plain = await CacheHarness.PostAsync(gateway, CacheHarness.Question, headers: ("x-switchyard-cache", "off"));
        using var stream = await CacheHarness.PostAsync(gateway, Streaming(CacheHarness.Question), headers: ("x-switchyard-cache", "off"));

        Assert.Equal("Zlo from upstream", await ContentAsync(plain));
        Assert.Equal("Zlo", StreamedContent(await stream.Content.ReadAsStringAsync(Ct)));
    }

    private static Task<TestGateway> StartAsync(FakeUpstream upstream, Func<ResponseComponent?> component) =>
        CacheHarness.CacheGateway(upstream, services: services => services.AddSingleton(new PlacedStage(PipelinePlace.OutputGuardrails, new AddingStage(component))));

    private static string Streaming(string body) => body[..^1] + ",\"stream\":true}";

    private static string TraceId(HttpResponseMessage response) => response.Headers.GetValues("x-switchyard-trace-id").Single();

    private static async Task<string> ContentAsync(HttpResponseMessage response) =>
        (string)JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["message"]!["content"]!;

    private static string StreamedContent(string body)
    {
        var text = new StringBuilder();
        foreach (var line in body.Split('\n'))
        {
            if (line.StartsWith("data: {", StringComparison.Ordinal) && JsonNode.Parse(line[6..])!["choices"] is JsonArray { Count: > 0 } choices
                && choices[0]!["delta"]?["content"] is JsonValue content)
            {
                text.Append((string)content!);
            }
        }

        return text.ToString();
    }

    /// <summary>A cut stream is closed without its last chunk: read what arrived before that.</summary>
    private static async Task<string> ReadUntilClosedAsync(HttpResponseMessage response)
    {
        var bytes = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(Ct);
            await stream.CopyToAsync(bytes, Ct);
        }
        catch (HttpRequestException)
        {
        }
        catch (IOException)
        {
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>Adds a fresh component to every call.</summary>
    private sealed class AddingStage(Func<ResponseComponent?> create) : CallStage
    {
        public override ValueTask InvokeAsync(CallContext call, CallDelegate next)
        {
            if (create() is { } component)
            {
                call.Response.Add(component);
            }

            return next(call);
        }
    }

    /// <summary>Replaces text in whole answers and in client events, as PII masking would.</summary>
    private sealed class Replace(string from, string to, bool onlyWhenAsked = false) : ResponseComponent
    {
        public override bool WantsClientEvents => true;

        public override PlainAnswer OnPlain(CallContext call, PlainAnswer answer) =>
            Applies(call) && answer.Origin is AnswerOrigin.Upstream or AnswerOrigin.Cache
                ? answer with { Body = Rewrite(answer.Body.Span) }
                : answer;

        public override void OnClientEvent(CallContext call, in SseEvent sseEvent, IBufferWriter<byte> output) =>
            output.Write(Applies(call) ? Rewrite(sseEvent.Raw) : sseEvent.Raw);

        private bool Applies(CallContext call) => !onlyWhenAsked || call.Http.Request.Headers.ContainsKey("x-test-rewrite");

        private byte[] Rewrite(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>Refuses any answer that contains a word, as a blocking output guard would.</summary>
    private sealed class Refuse(string word, bool onlyWhenAsked = false) : ResponseComponent
    {
        public override bool WantsClientEvents => true;

        public override PlainAnswer OnPlain(CallContext call, PlainAnswer answer) =>
            answer.Origin != AnswerOrigin.Error && (!onlyWhenAsked || call.Http.Request.Headers.ContainsKey("x-test-rewrite")) && Encoding.UTF8.GetString(answer.Body.Span).Contains(word, StringComparison.Ordinal)
                ? Error(call, 400, "invalid_request_error", "The answer was refused.", "output_refused")
                : answer;

        public override void OnClientEvent(CallContext call, in SseEvent sseEvent, IBufferWriter<byte> output)
        {
            if (Encoding.UTF8.GetString(sseEvent.Raw).Contains(word, StringComparison.Ordinal))
            {
                CutStream(call, output, 400, "invalid_request_error", "The answer was refused.", "output_refused");
                return;
            }

            output.Write(sseEvent.Raw);
        }
    }

    /// <summary>Holds every event until the stream ends, as a hold-back window would at its widest.</summary>
    private sealed class HoldBack : ResponseComponent
    {
        private readonly ArrayBufferWriter<byte> _held = new();

        public override bool WantsClientEvents => true;

        public override void OnClientEvent(CallContext call, in SseEvent sseEvent, IBufferWriter<byte> output) => _held.Write(sseEvent.Raw);

        public override void OnStreamEnd(CallContext call, IBufferWriter<byte> output) => output.Write(_held.WrittenSpan);
    }
}
