namespace Switchyard.Prompts.Experiments;

/// <summary>One call of an experiment, as read from its trace.</summary>
internal sealed record ExperimentSample(string Variant, bool Error, double LatencyMs, double? TtftMs, long Tokens, long? CostNanoUsd, bool? FeedbackPositive, IReadOnlyDictionary<string, double>? Scores);
