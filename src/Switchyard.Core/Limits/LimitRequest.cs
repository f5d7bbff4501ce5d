namespace Switchyard.Limits;

/// <summary>What one call asks of the store, checked and reserved in one atomic step.</summary>
internal sealed class LimitRequest
{
    public required LimitCheck[] Checks { get; init; }

    /// <summary>Prompt tokens plus the most output tokens the call may produce.</summary>
    public long EstimatedTokens { get; init; }

    /// <summary>The estimate's cost; null when the model has no price.</summary>
    public long? EstimatedCostNanoUsd { get; init; }

    public DateTimeOffset Now { get; init; }
}
