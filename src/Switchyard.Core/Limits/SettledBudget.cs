namespace Switchyard.Limits;

/// <summary>A budgeted subject's spend in the window a call was reserved in, after the call settled.</summary>
internal readonly record struct SettledBudget(LimitCheck Check, long SpentNanoUsd);
