using Switchyard.Configuration;
using Xunit;

namespace Switchyard.Tests.Guardrails;

public sealed class GuardrailConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-guardrail-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Guards_lists_and_group_overrides_bind()
    {
        var options = Load("""
            guardrails:
              guards:
                injection: { type: injection, action: block, threshold: 0.7, on_error: block }
                pii:
                  type: pii
                  action: mask
                  entities: [EMAIL_ADDRESS, CREDIT_CARD]
                  entity_actions: { CREDIT_CARD: block }
                  streaming: buffer
                limits: { type: validation, action: block, max_tokens: 512, max_temperature: 1, deny: ["(?i)password"] }
                politics: { type: topic, action: warn, examples: ["Who should I vote for?"] }
              input: [injection, pii, limits, politics]
              output: pii
            model_groups:
              m:
                guardrails: { input: [pii] }
                deployments:
                  - provider: sandbox
            """);

        var g = options.Guardrails;
        Assert.Equal((GuardType.Injection, GuardAction.Block, 0.7, GuardErrorMode.Block), (g.Guards["injection"].Type, g.Guards["injection"].Action, g.Guards["injection"].Threshold!.Value, g.Guards["injection"].OnError));
        Assert.Equal(["EMAIL_ADDRESS", "CREDIT_CARD"], g.Guards["pii"].Entities);
        Assert.Equal(GuardAction.Block, g.Guards["pii"].EntityActions["CREDIT_CARD"]);
        Assert.Equal(GuardStreaming.Buffer, g.Guards["pii"].Streaming);
        Assert.Equal(["injection", "pii", "limits", "politics"], g.Input);
        Assert.Equal(["pii"], g.Output);
        Assert.Equal(["pii"], options.ModelGroups["m"].Guardrails.Input);
        Assert.Null(options.ModelGroups["m"].Guardrails.Output);
    }

    [Fact]
    public void Without_a_config_file_injection_and_pii_flag()
    {
        var options = new ConfigLoader(_ => null).Load(null, []);

        Assert.Equal(["injection", "pii"], options.Guardrails.Input);
        Assert.All(options.Guardrails.Guards.Values, g => Assert.Equal(GuardAction.Flag, g.Action));
    }

    [Fact]
    public void Without_a_config_file_an_environment_variable_turns_them_off_or_tunes_the_surge_alert()
    {
        var off = new ConfigLoader(_ => null).Load(null, [new("SWITCHYARD_GUARDRAILS__ENABLED", "false")]);
        var tuned = new ConfigLoader(_ => null).Load(null, [new("SWITCHYARD_GUARDRAILS__SURGE__FACTOR", "8")]);

        Assert.False(off.Guardrails.Active(off.ModelGroups.Values));
        Assert.Equal(["injection", "pii"], tuned.Guardrails.Input);
        Assert.Equal(8, tuned.Guardrails.Surge.Factor);
    }

    [Fact]
    public void A_config_file_without_guardrails_runs_none()
    {
        var options = Load("""
            model_groups:
              m:
                deployments:
                  - provider: sandbox
            """);

        Assert.Empty(options.Guardrails.Guards);
        Assert.Empty(options.Guardrails.Input);
    }

    [Fact]
    public void Bad_guardrails_are_reported_with_their_key()
    {
        var ex = Assert.Throws<ConfigurationException>(() => Load("""
            guardrails:
              guards:
                a: { type: antivirus }
                b: { type: injection, action: mask, entities: [EMAIL_ADDRESS] }
                c: { type: pii, entity_actions: { SHOE_SIZE: block } }
                d: { type: validation, deny: ["(a)\\1"] }
                e: { type: topic }
                f: { type: validation }
                g: { type: injection, threshold: 2 }
                h: { type: leak, canaries: [CANARY-7] }
                i: { type: toxicity, categories: [rudeness] }
              input: [b, nope, h]
              output: [b]
            model_groups:
              m:
                guardrails: { input: [missing] }
                deployments:
                  - provider: sandbox
            """));

        var all = ex.Message;
        Assert.Contains("guardrails.guards.a.type: 'antivirus' is not a guard type", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.b.action: mask rewrites the spans a pii guard finds", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.b.entities: not a setting of an injection guard", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.c.entity_actions: 'SHOE_SIZE' is not an entity type", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.d.deny: '(a)\\1' is not a regex the gateway can run without backtracking", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.e.examples: a topic guard needs at least one example", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.f: a validation guard needs at least one of", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.g.threshold", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.input: 'nope' is not a guard", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.output: 'b' is an injection guard, which checks requests only", all, StringComparison.Ordinal);
        Assert.Contains("model_groups.m.guardrails.input: 'missing' is not a guard", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.input: 'h' is a leak guard, which checks answers only", all, StringComparison.Ordinal);
        Assert.Contains("guardrails.guards.i.categories: 'rudeness' is not a category", all, StringComparison.Ordinal);
    }

    private SwitchyardOptions Load(string yaml)
    {
        var path = Path.Combine(_dir, "switchyard.yaml");
        File.WriteAllText(path, yaml);
        return new ConfigLoader(_ => null).Load(path, []);
    }
}
