namespace Switchyard.Guardrails.Injection;

/// <summary>One row of a labelled injection set: the text, 1 for an attack and 0 for benign, its category and source.</summary>
internal sealed record LabelledText(string Text, int Label, string Category, string Source)
{
    /// <summary>The category up to its first colon, as score.py groups it.</summary>
    public string Family => Category.Split(':')[0];
}
