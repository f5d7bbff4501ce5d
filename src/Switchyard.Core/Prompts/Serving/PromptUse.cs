namespace Switchyard.Prompts.Serving;

/// <summary>Which prompt version a call rendered, recorded on its trace.</summary>
/// <param name="Label">The label the call asked for (<c>latest</c> included); null when it named a version.</param>
/// <param name="Variant">The experiment or rollout variant the call was assigned; null outside one.</param>
internal sealed record PromptUse(string Name, int Version, string? Label, string? Variant)
{
    /// <summary>The <c>x-switchyard-prompt</c> response header: <c>name@version</c>, then the label and variant when there are.</summary>
    public string Header()
    {
        var text = $"{Name}@{Version}";
        if (Label is not null)
        {
            text += $"; label={Label}";
        }

        return Variant is null ? text : text + $"; variant={Variant}";
    }
}
