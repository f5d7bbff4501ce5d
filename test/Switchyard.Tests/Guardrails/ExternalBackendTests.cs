using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Guardrails.GuardrailHarness;

namespace Switchyard.Tests.Guardrails;

/// <summary>
/// Guards decided outside the process: a judge model group asked through the gateway itself, and an
/// OpenAI-format moderation endpoint. A failing or slow backend follows on_error, is recorded, and is never a 500.
/// </summary>
public sealed class ExternalBackendTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The gateway with group "m" (an echo) and group "judge" on a second upstream that answers <paramref name="judge"/>.</summary>
    private static async Task<(TestGateway Gateway, FakeUpstream Chat, FakeUpstream Judge)> StartAsync(Func<HttpContext, ReceivedRequest, Task> judge, Action<GuardrailOptions> guards)
    {
        var judgeUpstream = await FakeUpstream.StartAsync();
        judgeUpstream.Handler = judge;
        var (gateway, chat) = await GuardrailHarness.StartAsync(guards, options => TestGateway.Upstream("judge", "openai", judgeUpstream)(options));
        return (gateway, chat, judgeUpstream);
    }

    private static Func<HttpContext, ReceivedRequest, Task> Judges(string content, int status = 200) => (http, _) => status == 200
        ? UpstreamReplies.Json(http, new JsonObject
        {
            ["id"] = "chatcmpl-judge",
            ["object"] = "chat.completion",
            ["created"] = 1,
            ["model"] = "judge",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content }, ["finish_reason"] = "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 50, ["completion_tokens"] = 8, ["total_tokens"] = 58 },
        }.ToJsonString())
        : UpstreamReplies.Json(http, """{"error":{"message":"judge down","type":"server_error"}}""", status);

    /// <summary>Never answers until the caller gives up.</summary>
    private static async Task Hangs(HttpContext http, ReceivedRequest _)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, http.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static void InjectionJudge(GuardrailOptions g, GuardErrorMode onError = GuardErrorMode.Allow, TimeSpan? timeout = null)
    {
        g.Guards["judge"] = new GuardOptions { Type = GuardType.Injection, Backend = GuardBackend.Judge, Model = "judge", Action = GuardAction.Block, OnError = onError, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        g.Input = ["judge"];
    }

    [Fact]
    public async Task InjectionJudge_BlocksOnAHighScore_AsksThroughTheGateway_AndIsTracedUnderTheCall()
    {
        var (gateway, chat, judge) = await StartAsync(Judges("""{"score": 0.93, "reason": "asks to ignore instructions"}"""), g => InjectionJudge(g));
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = judge;

        var response = await ChatAsync(gateway, Attack);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("guardrail_blocked", error["code"]!.GetValue<string>());
        Assert.Contains("'judge'", error["message"]!.GetValue<string>());
        Assert.Contains("0.93", error["message"]!.GetValue<string>());
        Assert.Empty(chat.Received);
        var asked = Assert.Single(judge.Received).Json;
        Assert.Contains("prompt injection", asked["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Contains(Attack, asked["messages"]![1]!["content"]!.GetValue<string>());

        // The judge's own call is recorded like any other: tagged, in the guarded call's trace.
        var traceId = response.Headers.GetValues("x-switchyard-trace-id").Single();
        await RecordedCalls.WaitForCountAsync(gateway, 2, Ct);
        var calls = Calls(gateway);
        Assert.All(calls, c => Assert.Equal(traceId, c.TraceId));
        var judged = Assert.Single(calls, c => c.Group == "judge");
        Assert.Equal(200, judged.Status);
        Assert.Contains("guardrail", judged.Tags);
        Assert.Equal(400, Assert.Single(calls, c => c.Group == "m").Status);
    }

    [Fact]
    public async Task InjectionJudge_LetsALowScoreThrough_AndTakesAPlainYesOrNumber()
    {
        var (gateway, chat, judge) = await StartAsync(Judges("0.1"), g => InjectionJudge(g));
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = judge;

        var response = await ChatAsync(gateway, "What is the capital of France?");

        response.EnsureSuccessStatusCode();
        Assert.Equal("judge:pass", response.Headers.GetValues("x-switchyard-guardrails").Single());
        Assert.Single(chat.Received);
    }

    [Theory]
    [InlineData("allow", false)] // a judge that refuses (400: not retried, so no wait for the retries of a 5xx)
    [InlineData("block", false)]
    [InlineData("allow", true)]
    [InlineData("block", true)]
    public async Task AFailingOrSlowJudge_FollowsOnError_IsRecorded_AndIsNeverA500(string mode, bool slow)
    {
        var onError = Enum.Parse<GuardErrorMode>(mode, ignoreCase: true);
        var (gateway, chat, judge) = await StartAsync(slow ? Hangs : Judges("", status: 400), g => InjectionJudge(g, onError, TimeSpan.FromMilliseconds(300)));
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = judge;

        var response = await ChatAsync(gateway, "hello");

        Assert.Equal(onError == GuardErrorMode.Block ? "judge:error(block)" : "judge:error", response.Headers.GetValues("x-switchyard-guardrails").Single());
        if (onError == GuardErrorMode.Allow)
        {
            response.EnsureSuccessStatusCode();
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("on_error: block", await response.Content.ReadAsStringAsync(Ct));
        }

        await RecordedCalls.WaitForCountAsync(gateway, 2, Ct);
        var verdict = JsonNode.Parse(Verdicts(gateway, "m"))![0]!;
        Assert.Equal("error", verdict["verdict"]!.GetValue<string>());
        Assert.Contains(slow ? "did not answer within 0.3 s" : "answered 400", verdict["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task GroundednessJudge_ReadsTheContextExtension_WhichNeverGoesUpstream()
    {
        var (gateway, chat, judge) = await StartAsync(Judges("""{"score": 0.8}"""), g =>
        {
            g.Guards["grounded"] = new GuardOptions { Type = GuardType.Groundedness, Backend = GuardBackend.Judge, Model = "judge", Action = GuardAction.Block };
            g.Output = ["grounded"];
        });
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = judge;

        var body = """{"model":"m","context":["The refund window is 30 days."],"messages":[{"role":"user","content":"The refund window is 90 days."}]}""";
        var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("guardrail_blocked", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
        Assert.Null(Assert.Single(chat.Received).Json["context"]);
        var asked = Assert.Single(judge.Received).Json["messages"]![1]!["content"]!.GetValue<string>();
        Assert.Contains("<context>\nThe refund window is 30 days.\n</context>", asked);
        Assert.Contains("<answer>\nThe refund window is 90 days.\n</answer>", asked);
    }

    [Fact]
    public async Task AnOutputJudge_OnAStream_ReadsTheWholeAnswerAfterIt_AndCanOnlyFlag()
    {
        var (gateway, chat, judge) = await StartAsync(Judges("""{"score": 0.9}"""), g =>
        {
            g.Guards["refunds"] = new GuardOptions { Type = GuardType.Judge, Model = "judge", Prompt = "Does the answer promise a refund?", Action = GuardAction.Block };
            g.Output = ["refunds"];
        });
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = judge;
        chat.Handler = Echo(5, 12);

        var response = await ChatAsync(gateway, "You will get a full refund.", stream: true);
        var body = await response.Content.ReadAsStringAsync(Ct);

        response.EnsureSuccessStatusCode();
        Assert.Contains("[DONE]", body);
        await RecordedCalls.WaitForCountAsync(gateway, 2, Ct);
        var verdict = JsonNode.Parse(Verdicts(gateway, "m"))![0]!;
        Assert.Equal("fired", verdict["verdict"]!.GetValue<string>());
        Assert.Equal("flag", verdict["action"]!.GetValue<string>());
        Assert.Contains("You will get a full refund.", Assert.Single(judge.Received).Json["messages"]![1]!["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"model":"m","context":42,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("""{"model":"m","context":["a",{"b":1}],"messages":[{"role":"user","content":"hi"}]}""")]
    public async Task AContextOfTheWrongShape_IsA400(string body)
    {
        var (gateway, chat) = await GuardrailHarness.StartAsync(_ => { });
        await using var _ = gateway;
        await using var __ = chat;

        var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("'context' must be a string or an array", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>());
        Assert.Empty(chat.Received);
    }

    private static void Moderation(GuardrailOptions g, GuardErrorMode onError = GuardErrorMode.Allow)
    {
        g.Guards["moderation"] = new GuardOptions { Type = GuardType.Toxicity, Backend = GuardBackend.Moderation, Model = "judge", Action = GuardAction.Block, OnError = onError, Timeout = TimeSpan.FromMilliseconds(300), Categories = ["threat"] };
        g.Input = ["moderation"];
    }

    private static Func<HttpContext, ReceivedRequest, Task> Moderates(double threat, double harassment) => (http, request) =>
    {
        Assert.EndsWith("/moderations", request.PathAndQuery, StringComparison.Ordinal);
        var scores = FormattableString.Invariant($"\"harassment\":{harassment},\"harassment/threatening\":{threat},\"violence\":0.01");
        return UpstreamReplies.Json(http, "{\"id\":\"modr-1\",\"model\":\"omni-moderation-latest\",\"results\":[{\"flagged\":true,\"categories\":{\"harassment\":true},\"category_scores\":{" + scores + "}}]}");
    };

    [Theory]
    [InlineData(0.91, 0.2, true)]
    [InlineData(0.05, 0.99, false)] // flagged for harassment, but only threats count for this guard
    public async Task Moderation_ScoresTheCountedCategories(double threat, double harassment, bool blocked)
    {
        var (gateway, chat, moderation) = await StartAsync(Moderates(threat, harassment), g => Moderation(g));
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = moderation;

        var response = await ChatAsync(gateway, "some words");

        Assert.Equal(blocked ? HttpStatusCode.BadRequest : HttpStatusCode.OK, response.StatusCode);
        var asked = Assert.Single(moderation.Received).Json;
        Assert.Equal("some words", asked["input"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFailingOrSlowModerationEndpoint_FollowsOnError(bool slow)
    {
        var (gateway, chat, moderation) = await StartAsync(slow ? Hangs : (http, _) => UpstreamReplies.Json(http, "{}", 503), g => Moderation(g, GuardErrorMode.Block));
        await using var _ = gateway;
        await using var __ = chat;
        await using var ___ = moderation;

        var response = await ChatAsync(gateway, "some words");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("moderation:error(block)", response.Headers.GetValues("x-switchyard-guardrails").Single());
        Assert.Empty(chat.Received);
    }

    [Theory]
    [InlineData("pii", "judge", "judge", null, "backend: judge is a backend of injection, toxicity and groundedness")]
    [InlineData("injection", "moderation", "judge", null, "moderation is a backend of toxicity guards only")]
    [InlineData("injection", "judge", "nope", null, "'nope' is not a model group")]
    [InlineData("injection", "judge", null, null, "model: name the model group")]
    [InlineData("judge", "local", "judge", null, "prompt: a judge guard needs the question")]
    [InlineData("toxicity", "local", "judge", null, "model: read only with backend")]
    [InlineData("toxicity", "moderation", "judge", "Is it rude?", "prompt: a moderation endpoint takes no prompt")]
    public void Configuration_RefusesBackendsThatCannotWork(string typeName, string backendName, string? model, string? prompt, string expected)
    {
        var type = Enum.Parse<GuardType>(typeName, ignoreCase: true);
        var backend = Enum.Parse<GuardBackend>(backendName, ignoreCase: true);
        var options = new SwitchyardOptions();
        options.ModelGroups["judge"] = new ModelGroupOptions();
        options.Guardrails.Guards["g"] = new GuardOptions { Type = type, Backend = backend, Model = model, Prompt = prompt };

        var result = new GuardrailOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }

    private static string Verdicts(TestGateway gateway, string group)
    {
        using var connection = gateway.Services.GetRequiredService<SqliteDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT guardrails FROM calls WHERE model_group = $g";
        command.Parameters.AddWithValue("$g", group);
        return (string)command.ExecuteScalar()!;
    }

    private static List<(string TraceId, string Group, int Status, string Tags)> Calls(TestGateway gateway)
    {
        using var connection = gateway.Services.GetRequiredService<SqliteDatabase>().Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT trace_id, model_group, status, coalesce(tags, '') FROM calls";
        using var reader = command.ExecuteReader();
        var calls = new List<(string, string, int, string)>();
        while (reader.Read())
        {
            calls.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
        }

        return calls;
    }
}
