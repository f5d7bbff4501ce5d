namespace Switchyard.Identity;

/// <summary>
/// A key's or a team's own guardrail lists, by guard name. The most specific list wins: a key's, else its
/// team's, else the model group's, else <c>guardrails.input</c> / <c>output</c>. A null list follows the
/// next level; an empty one runs no guard in that direction.
/// </summary>
internal sealed record GuardrailLists
{
    public string[]? Input { get; init; }

    public string[]? Output { get; init; }

    /// <summary>Null instead of a value that says nothing, so "follow the next level" is stored one way.</summary>
    public GuardrailLists? OrNull() => Input is null && Output is null ? null : this;
}
