namespace Switchyard.Prompts.Experiments;

/// <summary>What one metric says about a variant against the control.</summary>
internal enum ExperimentVerdict
{
    /// <summary>A side has fewer calls than the minimum sample: no verdict yet, however large the difference.</summary>
    InsufficientData,

    /// <summary>Significantly better at alpha, in the metric's own direction.</summary>
    Better,

    /// <summary>Significantly worse at alpha.</summary>
    Worse,

    /// <summary>Enough calls, no significant difference.</summary>
    NoDifference,
}
