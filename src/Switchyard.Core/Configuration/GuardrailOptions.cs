using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// <c>guardrails</c>: the named guards, and the input and output lists every model group runs unless it
/// names its own (<see cref="GroupGuardrailOptions"/>). With no config file, <c>injection</c> and <c>pii</c>
/// run on the way in, in <c>flag</c> mode, so a new user sees them work without anything being blocked.
/// </summary>
internal sealed class GuardrailOptions
{
    /// <summary>False turns every guard off, whatever the lists say (<c>SWITCHYARD_GUARDRAILS__ENABLED=false</c> for the defaults).</summary>
    [ConfigurationKeyName("enabled")]
    public bool Enabled { get; set; } = true;

    [ConfigurationKeyName("guards")]
    public Dictionary<string, GuardOptions> Guards { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Guard names run on the request, in order, before the cache.</summary>
    [ConfigurationKeyName("input"), ConfigValue(CommaList = true)]
    public List<string> Input { get; set; } = [];

    /// <summary>Guard names run on every answer (cached replays and streams included), in order.</summary>
    [ConfigurationKeyName("output"), ConfigValue(CommaList = true)]
    public List<string> Output { get; set; } = [];

    [ConfigurationKeyName("surge")]
    public GuardrailSurgeOptions Surge { get; set; } = new();

    /// <summary>The guards <c>serve</c> runs with no config file: injection and PII, flagged only.</summary>
    public static GuardrailOptions Default() => new GuardrailOptions().WithDefaults();

    /// <summary>Adds the default guards and input list, unless guards or lists were given.</summary>
    public GuardrailOptions WithDefaults()
    {
        if (Guards.Count == 0 && Input.Count == 0 && Output.Count == 0)
        {
            Guards["injection"] = new GuardOptions { Type = GuardType.Injection, Action = GuardAction.Flag };
            Guards["pii"] = new GuardOptions { Type = GuardType.Pii, Action = GuardAction.Flag };
            Input = ["injection", "pii"];
        }

        return this;
    }

    /// <summary>True when some list names a guard and guards are on.</summary>
    public bool Active(IEnumerable<ModelGroupOptions> groups) =>
        Enabled && (Input.Count + Output.Count > 0 || groups.Any(g => g.Guardrails.Input?.Count > 0 || g.Guardrails.Output?.Count > 0));
}
