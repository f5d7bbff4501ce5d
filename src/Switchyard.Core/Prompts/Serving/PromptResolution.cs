namespace Switchyard.Prompts.Serving;

/// <summary>What a prompt reference resolved to: a compiled version and the label that chose it, or why none (404).</summary>
internal sealed record PromptResolution(CompiledPrompt? Prompt, string? Label, string? NotFound)
{
    public static PromptResolution Missing(string why) => new(null, null, why);
}
