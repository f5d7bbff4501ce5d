using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>Calls that name a stored prompt, through a real gateway to a fake upstream that shows what it was sent.</summary>
public sealed class PromptGatewayTests : IAsyncLifetime
{
    private const string Support = """
        {"name":"support","prompt":[{"role":"system","content":"You help with {{product}}."},{"role":"user","content":"{{question}}"}],
         "variables":[{"name":"product","default":"Switchyard"},{"name":"question"},{"name":"tries","type":"number","default":1}],
         "model":"chat","parameters":{"temperature":0.2,"max_tokens":50},"labels":["production"]}
        """;

    private const string ChatReply = """{"id":"c1","object":"chat.completion","created":1,"model":"upstream-chat","system_fingerprint":"fp_a","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}""";

    private FakeUpstream _chat = null!;
    private FakeUpstream _claude = null!;
    private TestGateway _gateway = null!;
    private string _key = "";
    private string _tuner = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _chat = await FakeUpstream.StartAsync();
        _chat.Handler = (http, _) => UpstreamReplies.Json(http, ChatReply);
        _claude = await FakeUpstream.StartAsync();
        _claude.Handler = (http, _) => UpstreamReplies.Json(http, """{"id":"msg_1","type":"message","role":"assistant","model":"upstream-claude","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","usage":{"input_tokens":5,"output_tokens":1}}""");
        _gateway = await TestGateway.StartAsync(options =>
        {
            TestGateway.Upstream("chat", "openai", _chat)(options);
            TestGateway.Upstream("claude", "anthropic", _claude)(options);
        }, anonymous: false);
        await _gateway.CreateAsync("/api/prompts", Support);
        _key = (await _gateway.CreateKeyAsync("""{"name":"app"}""")).Secret;
        _tuner = (await _gateway.CreateKeyAsync("""{"name":"tuner","scopes":["inference","prompt_override"]}""")).Secret;
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _chat.DisposeAsync();
        await _claude.DisposeAsync();
    }

    [Fact]
    public async Task A_body_reference_renders_the_template_before_the_request_messages_with_the_versions_model_and_parameters()
    {
        using var response = await PostAsync("/v1/chat/completions", _key, """
            {"model":"somewhere-else","prompt":{"name":"support","variables":{"question":"How do I rotate a key?"}},
             "messages":[{"role":"user","content":"Thanks."}],"temperature":0.9}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("support@1; label=production", response.Headers.GetValues("x-switchyard-prompt").Single());
        var sent = _chat.Last.Json;
        Assert.Equal("upstream-chat", sent["model"]!.GetValue<string>());
        Assert.Null(sent["prompt"]);
        Assert.Equal(
            """[{"role":"system","content":"You help with Switchyard."},{"role":"user","content":"How do I rotate a key?"},{"role":"user","content":"Thanks."}]""",
            sent["messages"]!.ToJsonString());
        Assert.Equal(0.2, sent["temperature"]!.GetValue<double>()); // this key may not override the version's settings
        Assert.Equal(50, sent["max_tokens"]!.GetValue<int>());

        var traces = await TracesAsync("prompt=support&prompt_version=1&prompt_label=production", 1);
        var prompt = traces[0]!["prompt"]!;
        Assert.Equal("support", prompt["name"]!.GetValue<string>());
        Assert.Equal(1, prompt["version"]!.GetValue<int>());
        Assert.Equal("production", prompt["label"]!.GetValue<string>());
        Assert.Equal("chat", traces[0]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_key_with_prompt_override_keeps_its_own_model_and_parameters()
    {
        using var response = await PostAsync("/v1/chat/completions", _tuner, """
            {"model":"chat","prompt":{"name":"support","label":"latest","variables":{"question":"Hi","tries":3}},"temperature":0.9,"max_completion_tokens":7}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _chat.Last.Json;
        Assert.Equal(0.9, sent["temperature"]!.GetValue<double>());
        Assert.Equal(7, sent["max_completion_tokens"]!.GetValue<int>());
        Assert.Null(sent["max_tokens"]);
        Assert.Equal("support@1; label=latest", response.Headers.GetValues("x-switchyard-prompt").Single());
    }

    [Fact]
    public async Task Headers_name_the_prompt_for_anthropic_messages_with_the_system_turn_in_system()
    {
        await _gateway.CreateAsync("/api/prompts", """
            {"name":"triage","prompt":[{"role":"system","content":"Sort tickets for {{team}}."},{"role":"user","content":"Ticket: {{ticket}}"}],
             "model":"claude","parameters":{"max_tokens":100}}
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"system":"Be brief.","messages":[{"role":"user","content":"Go."}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", _key);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("x-switchyard-prompt", "triage@1");
        request.Headers.Add("x-switchyard-prompt-variables", """{"team":"billing","ticket":"Refund, \u00e9t\u00e9"}""");
        using var response = await _gateway.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("triage@1", response.Headers.GetValues("x-switchyard-prompt").Single());
        var sent = _claude.Last.Json;
        Assert.Equal("Sort tickets for billing.\n\nBe brief.", sent["system"]!.GetValue<string>());
        Assert.Equal("Ticket: Refund, été", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("""[{"role":"user","content":"Go."}]""", new JsonArray(sent["messages"]![1]!.DeepClone()).ToJsonString());
        Assert.Equal(2, sent["messages"]!.AsArray().Count);
        Assert.Equal(100, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal("upstream-claude", sent["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_responses_api_takes_a_prompt_by_header_or_by_name_and_passes_openais_own_prompt_through()
    {
        _chat.Handler = (http, _) => UpstreamReplies.Json(http, """{"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"upstream-chat","output":[{"type":"message","id":"m1","role":"assistant","status":"completed","content":[{"type":"output_text","text":"ok","annotations":[]}]}],"usage":{"input_tokens":3,"output_tokens":1,"total_tokens":4}}""");

        using var byName = await PostAsync("/v1/responses", _key, """{"prompt":{"name":"support","version":1,"variables":{"question":"Why?"}},"input":"And how?"}""");
        Assert.Equal(HttpStatusCode.OK, byName.StatusCode);
        var sent = _chat.Last.Json;
        Assert.Equal(
            """[{"role":"system","content":"You help with Switchyard."},{"role":"user","content":"Why?"},{"role":"user","content":"And how?"}]""",
            sent["input"]!.ToJsonString());
        Assert.Equal(50, sent["max_output_tokens"]!.GetValue<int>());
        Assert.Null(sent["max_tokens"]);
        Assert.Null(sent["prompt"]);

        using var openAis = await PostAsync("/v1/responses", _key, """{"model":"chat","prompt":{"id":"pmpt_123","version":"2"},"input":"x"}""");
        Assert.Equal(HttpStatusCode.OK, openAis.StatusCode);
        Assert.Equal("pmpt_123", _chat.Last.Json["prompt"]!["id"]!.GetValue<string>());
        Assert.False(openAis.Headers.Contains("x-switchyard-prompt"));
    }

    [Theory]
    [InlineData("""{"prompt":{"name":"nope"}}""", 404, "prompt_not_found", "no prompt named 'nope'")]
    [InlineData("""{"prompt":{"name":"support","label":"staging","variables":{"question":"q"}}}""", 404, "prompt_not_found", "no label 'staging'")]
    [InlineData("""{"prompt":{"name":"support","version":9}}""", 404, "prompt_not_found", "no version 9")]
    [InlineData("""{"prompt":{"name":"support"}}""", 400, "invalid_prompt_variables", "variables.question")]
    [InlineData("""{"prompt":{"name":"support","variables":{"question":"q","tries":"many"}}}""", 400, "invalid_prompt_variables", "variables.tries")]
    [InlineData("""{"prompt":{"name":"support","variables":{"question":"q","colour":"red"}}}""", 400, "invalid_prompt_variables", "variables.colour")]
    [InlineData("""{"prompt":{"name":"support","variables":["q"]}}""", 400, "invalid_prompt_reference", "variables")]
    [InlineData("""{"prompt":"support"}""", 400, "invalid_prompt_reference", "'prompt' must be an object")]
    [InlineData("""{"prompt":{"name":"support","label":"production","version":1}}""", 400, "invalid_prompt_reference", "not both")]
    [InlineData("""{"prompt":{"name":"support","versoin":1}}""", 400, "invalid_prompt_reference", "prompt.versoin")]
    [InlineData("""{"prompt":{"name":42}}""", 400, "invalid_prompt_reference", "prompt.name")]
    [InlineData("""{"prompt":{"name":"support","version":-1}}""", 400, "invalid_prompt_reference", "positive integer")]
    public async Task Bad_references_are_refused_in_the_apis_own_error_shape_naming_what_is_wrong(string body, int status, string code, string names)
    {
        using var response = await PostAsync("/v1/chat/completions", _key, body);

        Assert.Equal(status, (int)response.StatusCode);
        var error = await GatewayApi.ErrorAsync(response);
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Contains(names, error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(_chat.Received);
    }

    [Fact]
    public async Task Header_mistakes_are_refused_too()
    {
        foreach (var (prompt, variables, expected) in new[]
        {
            ("support", "{not json", "x-switchyard-prompt-variables"),
            ((string?)null, """{"a":1}""", "needs x-switchyard-prompt"),
            ("@production", null, "must name a prompt"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"model":"chat","messages":[]}""", Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
            if (prompt is not null)
            {
                request.Headers.Add("x-switchyard-prompt", prompt);
            }

            if (variables is not null)
            {
                request.Headers.Add("x-switchyard-prompt-variables", variables);
            }

            using var response = await _gateway.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, (await GatewayApi.ErrorAsync(response))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        using var twice = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent("""{"prompt":{"name":"support"}}""", Encoding.UTF8, "application/json") };
        twice.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _key);
        twice.Headers.Add("x-switchyard-prompt", "support");
        using var refused = await _gateway.Client.SendAsync(twice, Ct);
        Assert.Contains("twice", (await GatewayApi.ErrorAsync(refused))["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_chat.Received);
    }

    [Fact]
    public async Task A_label_move_takes_effect_on_the_next_call_and_concurrent_calls_never_mix_two_versions()
    {
        await _gateway.CreateAsync("/api/prompts", """{"name":"flip","prompt":[{"role":"system","content":"version one"}],"model":"chat","labels":["production"]}""");
        await _gateway.CreateAsync("/api/prompts", """{"name":"flip","prompt":[{"role":"system","content":"version two"}],"model":"chat","parameters":{"temperature":0}}""");
        // The upstream answers with the system turn it was sent, so each answer shows which template it came from.
        _chat.Handler = (http, received) => UpstreamReplies.Json(http, ChatReply.Replace("\"ok\"", System.Text.Json.JsonSerializer.Serialize(received.Json["messages"]![0]!["content"]!.GetValue<string>() + "|" + (received.Json["temperature"]?.ToJsonString() ?? "none"))));

        using (var first = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"flip"}}"""))
        {
            Assert.Equal("version one|none", await AnswerAsync(first));
        }

        var (moved, _, _) = await _gateway.SendAsync(HttpMethod.Put, "/api/prompts/flip/labels/production", """{"version":2}""");
        Assert.Equal(HttpStatusCode.OK, moved);
        using (var second = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"flip"}}"""))
        {
            Assert.Equal("version two|0", await AnswerAsync(second));
        }

        using var stop = new CancellationTokenSource();
        var flipper = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await _gateway.SendAsync(HttpMethod.Put, "/api/prompts/flip/labels/production", $$"""{"version":{{1 + (i % 2)}}}""");
            }
        }, Ct);
        var calls = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
        {
            using var response = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"flip"}}""");
            return (Header: response.Headers.GetValues("x-switchyard-prompt").Single(), Answer: await AnswerAsync(response));
        }));
        await stop.CancelAsync();
        await flipper;

        foreach (var (header, answer) in calls)
        {
            Assert.Equal(header.StartsWith("flip@1", StringComparison.Ordinal) ? "version one|none" : "version two|0", answer);
        }
    }

    [Fact]
    public async Task A_pinned_snapshot_is_what_the_upstream_is_asked_for_and_a_changed_fingerprint_is_flagged()
    {
        await _gateway.CreateAsync("/api/prompts", """{"name":"pinned","prompt":"Summarise {{text}}","model":"chat","pinned_model":"upstream-chat-2024-08-06","labels":["production"]}""");
        var fingerprint = "fp_a";
        _chat.Handler = (http, _) => UpstreamReplies.Json(http, ChatReply.Replace("fp_a", fingerprint));

        using (var first = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"pinned","variables":{"text":"this"}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        Assert.Equal("upstream-chat-2024-08-06", _chat.Last.Json["model"]!.GetValue<string>());
        Assert.Equal("""[{"role":"user","content":"Summarise this"}]""", _chat.Last.Json["messages"]!.ToJsonString());
        fingerprint = "fp_b";
        using (var second = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"pinned","variables":{"text":"that"}}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        }

        var changed = await TracesAsync("model_changed=true", 1);
        Assert.Equal("system_fingerprint fp_a -> fp_b", changed[0]!["model_change"]!.GetValue<string>());
        var all = await TracesAsync("prompt=pinned", 2);
        Assert.Null(all[1]!["model_change"]); // the first call had nothing to compare with
    }

    [Fact]
    public async Task An_experiment_arm_may_call_its_own_model_group_with_its_own_parameters()
    {
        await _gateway.CreateAsync("/api/prompts", """{"name":"arms","prompt":"Hi {{who}}","model":"claude","parameters":{"temperature":0.1,"max_tokens":30},"labels":["production"]}""");
        await _gateway.CreateAsync("/api/prompts/arms/experiments", """
            {"variants":[{"name":"control","version":1,"weight":0},{"name":"openai","version":1,"weight":1,"model":"chat","parameters":{"temperature":0.7}}],"unit":"key"}
            """);

        using var response = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"arms","variables":{"who":"you"}}}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("arms@1; label=production; variant=openai", response.Headers.GetValues("x-switchyard-prompt").Single());
        var sent = _chat.Last.Json;
        Assert.Equal(0.7, sent["temperature"]!.GetValue<double>());
        Assert.Equal(30, sent["max_tokens"]!.GetValue<int>());
        Assert.Empty(_claude.Received);
        var traces = await TracesAsync("prompt=arms&variant=openai", 1);
        Assert.Equal("chat", traces[0]!["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_metrics_api_breaks_figures_down_by_prompt_version()
    {
        await _gateway.CreateAsync("/api/prompts", """{"name":"metered","prompt":"Hi {{who}}","model":"chat","labels":["production"]}""");
        for (var i = 0; i < 3; i++)
        {
            using var response = await PostAsync("/v1/chat/completions", _key, """{"prompt":{"name":"metered","variables":{"who":"you"}}}""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await TracesAsync("prompt=metered", 3);
        var (status, metrics, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/metrics/summary?prompt=metered&group_by=prompt_version");
        Assert.Equal(HttpStatusCode.OK, status);
        var row = metrics!["groups"]!.AsArray().Single()!;
        Assert.Equal("1", row["prompt_version"]!.GetValue<string>());
        Assert.Equal(3, row["requests"]!.GetValue<int>());
    }

    private async Task<HttpResponseMessage> PostAsync(string path, string key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }

    private static async Task<string> AnswerAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();

    private async Task<JsonArray> TracesAsync(string query, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var (status, body, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/traces?" + query);
            Assert.Equal(HttpStatusCode.OK, status);
            var data = body!["data"]!.AsArray();
            if (data.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.Equal(count, data.Count);
                return data;
            }

            await Task.Delay(25, Ct);
        }
    }
}
