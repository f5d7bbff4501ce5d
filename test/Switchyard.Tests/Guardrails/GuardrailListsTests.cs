using System.Net;
using Switchyard.Configuration;
using Switchyard.Tests.TestUtilities;
using Xunit;
using static Switchyard.Tests.Guardrails.GuardrailHarness;

namespace Switchyard.Tests.Guardrails;

/// <summary>Guard lists on keys and teams: the most specific list wins, per direction, through the admin API and the gateway.</summary>
public sealed class GuardrailListsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The model group blocks e-mail addresses; a second guard only masks them.</summary>
    private static void TwoPiiGuards(GuardrailOptions g)
    {
        g.Guards["pii_block"] = new GuardOptions { Type = GuardType.Pii, Action = GuardAction.Block, Entities = ["EMAIL_ADDRESS"] };
        g.Guards["pii_mask"] = new GuardOptions { Type = GuardType.Pii, Action = GuardAction.Mask, Entities = ["EMAIL_ADDRESS"] };
        g.Input = ["pii_block"];
    }

    [Fact]
    public async Task KeyList_BeatsTeamList_WhichBeatsTheModelGroup()
    {
        var (gateway, upstream) = await StartAsync(TwoPiiGuards, anonymous: false);
        await using var _ = gateway;
        await using var __ = upstream;
        var (status, _, _) = await gateway.SendAsync(HttpMethod.Post, "/api/teams", """{"id":"support","guardrails":{"input":["pii_mask"]}}""");
        Assert.Equal(HttpStatusCode.Created, status);
        var (_, plain) = await gateway.CreateKeyAsync("""{"name":"plain"}""");
        var (_, teamKey) = await gateway.CreateKeyAsync("""{"name":"support","team":"support"}""");
        var (_, open) = await gateway.CreateKeyAsync("""{"name":"open","team":"support","guardrails":{"input":[]}}""");

        var blocked = await ChatAsync(gateway, $"mail {Email}", key: plain);
        var masked = await ChatAsync(gateway, $"mail {Email}", key: teamKey);
        var untouched = await ChatAsync(gateway, $"mail {Email}", key: open);

        Assert.Equal(HttpStatusCode.BadRequest, blocked.StatusCode);
        Assert.Contains("pii_block", await blocked.Content.ReadAsStringAsync(Ct));
        masked.EnsureSuccessStatusCode();
        Assert.Contains("[EMAIL_ADDRESS]", await masked.Content.ReadAsStringAsync(Ct));
        Assert.Equal("pii_mask:fired(mask)", masked.Headers.GetValues(InputHeader).Single());
        untouched.EnsureSuccessStatusCode();
        Assert.Contains(Email, await untouched.Content.ReadAsStringAsync(Ct));
        Assert.False(untouched.Headers.Contains(InputHeader));
    }

    [Fact]
    public async Task Patch_MergesPerDirection_NullFollowsTheNextLevel_AndSurvivesARestart()
    {
        var data = TestGateway.NewDataDirectory();
        try
        {
            string id;
            await using (var gateway = await TestGateway.StartAsync(Configure, anonymous: false, dataDirectory: data))
            {
                (id, _) = await gateway.CreateKeyAsync("""{"name":"k","guardrails":{"input":["pii_mask","pii_mask"]}}""");
                var (_, patched, _) = await gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{id}", """{"guardrails":{"output":["pii_block"]}}""");
                Assert.Equal("""{"input":["pii_mask"],"output":["pii_block"]}""", patched!["guardrails"]!.ToJsonString());

                var (_, cleared, _) = await gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{id}", """{"guardrails":{"input":null}}""");
                Assert.Equal("""{"input":null,"output":["pii_block"]}""", cleared!["guardrails"]!.ToJsonString());
            }

            await using (var restarted = await TestGateway.StartAsync(Configure, anonymous: false, dataDirectory: data))
            {
                var (_, shown, _) = await restarted.SendAsync(HttpMethod.Get, $"/api/keys/{id}");
                Assert.Equal("""["pii_block"]""", shown!["guardrails"]!["output"]!.ToJsonString());

                var (_, inherit, _) = await restarted.SendAsync(HttpMethod.Patch, $"/api/keys/{id}", """{"guardrails":null}""");
                Assert.Null(inherit!["guardrails"]);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }

        static void Configure(SwitchyardOptions options) => TwoPiiGuards(options.Guardrails);
    }

    [Theory]
    [InlineData("/api/keys", """{"name":"k","guardrails":{"input":["nope"]}}""", "guardrails.input: 'nope'")]
    [InlineData("/api/keys", """{"name":"k","guardrails":{"inputs":["pii_mask"]}}""", "inputs")]
    [InlineData("/api/keys", """{"name":"k","guardrails":{"input":"pii_mask"}}""", "guardrails")]
    [InlineData("/api/teams", """{"id":"t","guardrails":{"output":[""]}}""", "guardrails.output")]
    [InlineData("/api/teams", """{"id":"t","guardrails":[1]}""", "guardrails")]
    public async Task UnknownGuardsAndWrongShapes_AreRefusedWithTheField(string path, string body, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(options => TwoPiiGuards(options.Guardrails), anonymous: false);

        var (status, error, _) = await gateway.SendAsync(HttpMethod.Post, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, error!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task GuardrailsDisabled_IgnoresKeyLists()
    {
        var (gateway, upstream) = await StartAsync(g =>
        {
            TwoPiiGuards(g);
            g.Enabled = false;
        }, anonymous: false);
        await using var _ = gateway;
        await using var __ = upstream;
        var (_, key) = await gateway.CreateKeyAsync("""{"name":"k","guardrails":{"input":["pii_block"]}}""");

        var answer = await ChatAsync(gateway, $"mail {Email}", key: key);

        answer.EnsureSuccessStatusCode();
        Assert.Contains(Email, await answer.Content.ReadAsStringAsync(Ct));
    }

    private const string InputHeader = "x-switchyard-guardrails";
}
