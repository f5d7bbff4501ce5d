namespace Switchyard.Prompts;

/// <summary>One call of an experiment or rollout variant, as its statistics read it.</summary>
/// <param name="FeedbackPositive">The call's feedback (the mean of its feedback scores above zero); null without feedback.</param>
/// <param name="Scores">The mean of each other named score the call received (online evals, annotations); null without any.</param>
internal sealed record PromptCallSample(string Variant, bool Error, double LatencyMs, double? TtftMs, long Tokens, long? CostNanoUsd, bool? FeedbackPositive, IReadOnlyDictionary<string, double>? Scores);
