using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// <c>guardrails</c>: the named guards, and the input and output lists every model group runs unless it
/// names its own (<see cref="GroupGuardrailOptions"/>). With no config file, <c>injection</c> and <c>pii</c>
/// run on the way in, in <c>flag</c> mode, so a new user sees them work without anything being blocked.
/// </summary>
internal sealed class GuardrailOptions
{
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
    public static GuardrailOptions Default() => new()
    {
        Guards =
        {
            ["injection"] = new GuardOptions { Type = GuardType.Injection, Action = GuardAction.Flag },
            ["pii"] = new GuardOptions { Type = GuardType.Pii, Action = GuardAction.Flag },
        },
        Input = ["injection", "pii"],
    };
}
