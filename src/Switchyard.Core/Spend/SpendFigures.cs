namespace Switchyard.Spend;

/// <summary>Requests, tokens and cost, summed.</summary>
internal readonly record struct SpendFigures(long Requests, long InputTokens, long OutputTokens, long CostNanoUsd)
{
    public SpendFigures Add(SpendFigures other) =>
        new(Requests + other.Requests, InputTokens + other.InputTokens, OutputTokens + other.OutputTokens, CostNanoUsd + other.CostNanoUsd);
}
