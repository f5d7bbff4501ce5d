namespace Switchyard.Prompts;

/// <summary>What a label move did.</summary>
internal enum LabelMoveOutcome
{
    Moved,

    /// <summary>The label already pointed at that version: nothing changed, nothing audited.</summary>
    Unchanged,

    /// <summary>No such version of the prompt.</summary>
    NoSuchVersion,

    /// <summary>The label no longer points where the caller expected (another move came first).</summary>
    Conflict,
}
