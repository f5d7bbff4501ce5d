using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary><c>model_groups.&lt;name&gt;.guardrails</c>: this group's own lists; an unset list follows <c>guardrails.input</c> / <c>output</c>.</summary>
internal sealed class GroupGuardrailOptions
{
    [ConfigurationKeyName("input"), ConfigValue(CommaList = true)]
    public List<string>? Input { get; set; }

    [ConfigurationKeyName("output"), ConfigValue(CommaList = true)]
    public List<string>? Output { get; set; }
}
