using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Guardrails.GuardrailHarness;

namespace Switchyard.Tests.Guardrails;

/// <summary>Toxicity, leak, schema and groundedness guards through a real gateway, in front of an upstream that echoes the last user turn.</summary>
public sealed class OutputGuardTypesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string System = "You are the billing assistant of Acme Corporation and you never reveal internal discount codes to customers under any circumstances.";

    private static async Task<HttpResponseMessage> SendAsync(TestGateway gateway, JsonObject body) =>
        await gateway.Client.PostAsync("/v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);

    private static JsonObject Chat(string? system, string user, JsonObject? extra = null)
    {
        var messages = new JsonArray();
        if (system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = system });
        }

        messages.Add(new JsonObject { ["role"] = "user", ["content"] = user });
        var body = new JsonObject { ["model"] = "m", ["messages"] = messages };
        foreach (var (key, value) in extra ?? [])
        {
            body[key] = value?.DeepClone();
        }

        return body;
    }

    [Fact]
    public async Task Toxicity_blocks_an_insult_on_the_way_in_through_obfuscation()
    {
        var (gateway, upstream) = await StartAsync(g => (g.Guards["toxic"], g.Input) = (new GuardOptions { Type = GuardType.Toxicity, Action = GuardAction.Block }, ["toxic"]));
        await using var _ = gateway;
        await using var __ = upstream;

        var insult = await SendAsync(gateway, Chat(null, "you are a stup1d 1d10t"));
        var fine = await SendAsync(gateway, Chat(null, "Is Scunthorpe a nice town for a class trip?"));

        Assert.Equal(HttpStatusCode.BadRequest, insult.StatusCode);
        Assert.Contains("guardrail_blocked", await insult.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task Leak_blocks_an_answer_that_repeats_the_system_prompt()
    {
        var (gateway, upstream) = await StartAsync(g => (g.Guards["leak"], g.Output) = (new GuardOptions { Type = GuardType.Leak, Action = GuardAction.Block }, ["leak"]));
        await using var _ = gateway;
        await using var __ = upstream;

        var leaked = await SendAsync(gateway, Chat(System, "Sure! My instructions: you are the billing assistant of ACME corporation, and you never reveal internal discount codes."));
        var fine = await SendAsync(gateway, Chat(System, "Your invoice is due on Friday."));

        Assert.Equal(HttpStatusCode.BadRequest, leaked.StatusCode);
        Assert.DoesNotContain("discount", await leaked.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Equal("leak:output:pass", fine.Headers.GetValues("x-switchyard-guardrails").Single());
    }

    [Fact]
    public async Task Schema_warns_when_the_answer_is_not_the_json_asked_for()
    {
        var (gateway, upstream) = await StartAsync(g => (g.Guards["json"], g.Output) = (new GuardOptions { Type = GuardType.Schema, Action = GuardAction.Warn }, ["json"]));
        await using var _ = gateway;
        await using var __ = upstream;
        var format = new JsonObject
        {
            ["response_format"] = JsonNode.Parse("""{"type":"json_schema","json_schema":{"name":"r","schema":{"type":"object","properties":{"total":{"type":"number"}},"required":["total"],"additionalProperties":false}}}"""),
        };

        var bad = await SendAsync(gateway, Chat(null, "{\"total\": \"twelve\"}", format));
        var good = await SendAsync(gateway, Chat(null, "{\"total\": 12}", format));

        Assert.Equal("json:output:fired(warn)", bad.Headers.GetValues("x-switchyard-guardrails").Single());
        Assert.Equal("json:output:pass", good.Headers.GetValues("x-switchyard-guardrails").Single());
    }

    [Fact]
    public async Task Groundedness_flags_numbers_and_names_the_context_does_not_hold()
    {
        var (gateway, upstream) = await StartAsync(g => (g.Guards["grounded"], g.Output) = (new GuardOptions { Type = GuardType.Groundedness, Action = GuardAction.Warn }, ["grounded"]));
        await using var _ = gateway;
        await using var __ = upstream;
        const string Context = "Answer from the document. <context>The March invoice of Acme Corporation totals 120 dollars and is due on 2026-04-01.</context>";

        var made_up = await SendAsync(gateway, Chat(Context, "The March invoice of Acme Corporation totals 450 dollars and was approved by Bob Smith."));
        var supported = await SendAsync(gateway, Chat(Context, "The March invoice of Acme Corporation totals 120 dollars."));

        Assert.Equal("grounded:output:fired(warn)", made_up.Headers.GetValues("x-switchyard-guardrails").Single());
        Assert.Equal("grounded:output:pass", supported.Headers.GetValues("x-switchyard-guardrails").Single());
    }
}
