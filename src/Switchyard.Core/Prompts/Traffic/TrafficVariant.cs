namespace Switchyard.Prompts.Traffic;

/// <summary>One arm of a split: a prompt version, optionally with its own model group and parameters, and its share.</summary>
internal sealed record TrafficVariant(string Name, int Version, int Weight)
{
    /// <summary>A model group this variant calls instead of the version's.</summary>
    public string? ModelGroup { get; init; }

    /// <summary>Parameters (a JSON object) laid over the version's for this variant.</summary>
    public string? ParametersJson { get; init; }
}
