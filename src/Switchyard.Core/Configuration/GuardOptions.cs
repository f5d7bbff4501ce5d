using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// <c>guardrails.guards.&lt;name&gt;</c>: one named guard. The settings a type does not read are refused
/// by <see cref="GuardrailOptionsValidator"/>, so a typo does not silently do nothing.
/// </summary>
internal sealed class GuardOptions
{
    [ConfigurationKeyName("type"), ConfigValue(Invalid = "'{0}' is not a guard type (injection, pii, validation, topic, toxicity, leak, schema, groundedness or judge).")]
    public GuardType Type { get; set; }

    [ConfigurationKeyName("action"), ConfigValue(Invalid = "'{0}' is not a guard action (block, redact, mask, hash, pseudonymise, flag or warn).")]
    public GuardAction Action { get; set; } = GuardAction.Flag;

    /// <summary>When the guard itself fails (a detector throws, an external backend is down or slow): let the call through, or block it.</summary>
    [ConfigurationKeyName("on_error"), ConfigValue(Invalid = "'{0}' is not allow or block.")]
    public GuardErrorMode OnError { get; set; } = GuardErrorMode.Allow;

    /// <summary>Injection, topic, toxicity and groundedness (the unsupported share): the score at or above which the guard fires (0–1).</summary>
    [ConfigurationKeyName("threshold"), ConfigValue(Min = 0, Max = 1)]
    public double? Threshold { get; set; }

    /// <summary>Injection: also score tool results and other content that arrives as data (indirect injection).</summary>
    [ConfigurationKeyName("check_data")]
    public bool? CheckData { get; set; }

    /// <summary>PII: the entity types looked for; all of them when empty.</summary>
    [ConfigurationKeyName("entities"), ConfigValue(CommaList = true)]
    public List<string> Entities { get; set; } = [];

    /// <summary>PII: an action per entity type, overriding <see cref="Action"/> for that type.</summary>
    [ConfigurationKeyName("entity_actions")]
    public Dictionary<string, GuardAction> EntityActions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Validation: the most input tokens a request may carry.</summary>
    [ConfigurationKeyName("max_input_tokens"), ConfigValue(Min = 1, Max = 10_000_000)]
    public int? MaxInputTokens { get; set; }

    /// <summary>Validation: the largest <c>max_tokens</c> (or <c>max_completion_tokens</c>) a request may ask for.</summary>
    [ConfigurationKeyName("max_tokens"), ConfigValue(Min = 1, Max = 10_000_000)]
    public int? MaxTokens { get; set; }

    [ConfigurationKeyName("min_temperature"), ConfigValue(Min = 0, Max = 2)]
    public double? MinTemperature { get; set; }

    [ConfigurationKeyName("max_temperature"), ConfigValue(Min = 0, Max = 2)]
    public double? MaxTemperature { get; set; }

    /// <summary>Validation: request parameters refused outright (for example <c>logit_bias</c>, <c>tools</c>).</summary>
    [ConfigurationKeyName("denied_parameters"), ConfigValue(CommaList = true)]
    public List<string> DeniedParameters { get; set; } = [];

    /// <summary>Validation: texts must match one of these (.NET regexes, run without backtracking).</summary>
    [ConfigurationKeyName("allow"), ConfigValue(CommaList = true)]
    public List<string> Allow { get; set; } = [];

    /// <summary>Validation: texts must match none of these (.NET regexes, run without backtracking).</summary>
    [ConfigurationKeyName("deny"), ConfigValue(CommaList = true)]
    public List<string> Deny { get; set; } = [];

    /// <summary>Topic: example texts of the banned topic; a turn as similar as <see cref="Threshold"/> to one of them fires.</summary>
    [ConfigurationKeyName("examples")]
    public List<string> Examples { get; set; } = [];

    /// <summary>Toxicity: the categories that count; all of them when empty.</summary>
    [ConfigurationKeyName("categories"), ConfigValue(CommaList = true)]
    public List<string> Categories { get; set; } = [];

    /// <summary>Leak: strings planted in the system prompt that must never appear in an answer.</summary>
    [ConfigurationKeyName("canaries"), ConfigValue(CommaList = true)]
    public List<string> Canaries { get; set; } = [];

    /// <summary>Leak: the fewest consecutive words of the system prompt that count as a leak.</summary>
    [ConfigurationKeyName("min_words"), ConfigValue(Min = 3, Max = 1000)]
    public int? MinWords { get; set; }

    /// <summary>Groundedness: what opens a document in a system or user turn (its context, with tool results).</summary>
    [ConfigurationKeyName("context_start")]
    public string? ContextStart { get; set; }

    /// <summary>Groundedness: what closes it.</summary>
    [ConfigurationKeyName("context_end")]
    public string? ContextEnd { get; set; }

    /// <summary>Schema: <c>retry</c> asks once more with the validation errors appended before the action applies (plain chat answers).</summary>
    [ConfigurationKeyName("repair"), ConfigValue(Invalid = "'{0}' is not none or retry.")]
    public SchemaRepair Repair { get; set; } = SchemaRepair.None;

    /// <summary>Injection, toxicity and groundedness: the local detector, a judge model group, or (toxicity) a moderation endpoint.</summary>
    [ConfigurationKeyName("backend"), ConfigValue(Invalid = "'{0}' is not local, judge or moderation.")]
    public GuardBackend Backend { get; set; } = GuardBackend.Local;

    /// <summary>Judge and moderation backends, and judge guards: the model group asked.</summary>
    [ConfigurationKeyName("model")]
    public string? Model { get; set; }

    /// <summary>Judge backends and judge guards: what the judge is asked, replacing the built-in question of the guard's type.</summary>
    [ConfigurationKeyName("prompt")]
    public string? Prompt { get; set; }

    /// <summary>Judge and moderation backends: the longest the guard waits for its answer before it counts as failed (<c>on_error</c>).</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Output guards: how a stream is checked (buffer, window or async).</summary>
    [ConfigurationKeyName("streaming"), ConfigValue(Invalid = "'{0}' is not buffer, window or async.")]
    public GuardStreaming Streaming { get; set; } = GuardStreaming.Window;

    /// <summary>Output guards in <c>window</c> mode: the most characters held back before they are checked and sent.</summary>
    [ConfigurationKeyName("window_chars"), ConfigValue(Min = 16, Max = 1_000_000)]
    public int WindowChars { get; set; } = 256;
}
