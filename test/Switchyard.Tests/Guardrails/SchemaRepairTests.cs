using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Guardrails.GuardrailHarness;

namespace Switchyard.Tests.Guardrails;

/// <summary><c>repair: retry</c>: a chat answer that fails its schema is asked for once more, with the errors appended.</summary>
public sealed class SchemaRepairTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Format = """{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"total":{"type":"number"}},"required":["total"]}}}""";

    /// <summary>Answers the given contents in turn, one per call.</summary>
    private static Func<HttpContext, ReceivedRequest, Task> Answers(params string[] contents)
    {
        var next = 0;
        return (http, _) => UpstreamReplies.Json(http, new JsonObject
        {
            ["id"] = "chatcmpl-x",
            ["object"] = "chat.completion",
            ["created"] = 1,
            ["model"] = "m",
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = contents[Math.Min(Interlocked.Increment(ref next) - 1, contents.Length - 1)] }, ["finish_reason"] = "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 5, ["completion_tokens"] = 5, ["total_tokens"] = 10 },
        }.ToJsonString());
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body, string Header)> AskAsync(TestGateway gateway)
    {
        var body = $$"""{"model":"m","response_format":{{Format}},"messages":[{"role":"user","content":"Total of 2 and 3?"}]}""";
        var response = await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!, response.Headers.GetValues("x-switchyard-guardrails").Single());
    }

    private static void Repairing(GuardrailOptions g)
    {
        g.Guards["json"] = new GuardOptions { Type = GuardType.Schema, Action = GuardAction.Block, Repair = SchemaRepair.Retry };
        g.Output = ["json"];
    }

    [Fact]
    public async Task AnInvalidAnswer_IsAskedForOnceMore_WithTheErrors_AndTheValidOneIsSent()
    {
        var (gateway, upstream) = await StartAsync(Repairing);
        await using var _ = gateway;
        await using var __ = upstream;
        upstream.Handler = Answers("The total is 5.", """{"total": 5}""");

        var (status, body, header) = await AskAsync(gateway);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"total": 5}""", body["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("json:output:fired(retry), json:output:pass", header);
        var retry = upstream.Received.ToArray()[1].Json;
        var messages = retry["messages"]!.AsArray();
        Assert.Equal(3, messages.Count);
        Assert.Equal("The total is 5.", messages[1]!["content"]!.GetValue<string>());
        Assert.StartsWith("Your previous answer did not validate: ", messages[2]!["content"]!.GetValue<string>());
        Assert.NotNull(retry["response_format"]);
    }

    [Fact]
    public async Task AnAnswerStillInvalidAfterTheRetry_GetsTheAction_AndThereIsOnlyOneRetry()
    {
        var (gateway, upstream) = await StartAsync(Repairing);
        await using var _ = gateway;
        await using var __ = upstream;
        upstream.Handler = Answers("The total is 5.", "Still five.");

        var (status, body, header) = await AskAsync(gateway);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("guardrail_blocked", body["error"]!["code"]!.GetValue<string>());
        Assert.Equal("json:output:fired(retry), json:output:fired(block)", header);
        Assert.Equal(2, upstream.Received.Count);
    }

    [Fact]
    public async Task WithoutRepair_TheActionAppliesAtOnce()
    {
        var (gateway, upstream) = await StartAsync(g =>
        {
            g.Guards["json"] = new GuardOptions { Type = GuardType.Schema, Action = GuardAction.Block };
            g.Output = ["json"];
        });
        await using var _ = gateway;
        await using var __ = upstream;
        upstream.Handler = Answers("The total is 5.", """{"total": 5}""");

        var (status, _, _) = await AskAsync(gateway);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Single(upstream.Received);
    }
}
