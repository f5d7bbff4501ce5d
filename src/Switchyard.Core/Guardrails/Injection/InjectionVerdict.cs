namespace Switchyard.Guardrails.Injection;

/// <summary>The detector's reading of one text.</summary>
/// <param name="Score">
/// In [0, 1], comparable with <see cref="InjectionDetector.DefaultThreshold"/> whichever path produced it
/// (classifier, heuristics only, user turn or data): each path's own cut-off is mapped onto that one threshold.
/// </param>
/// <param name="ClassifierScore">The logistic classifier's probability, or null when no embedding was given.</param>
/// <param name="HeuristicScore">The heuristics' combined weight, in [0, 1], before any mapping.</param>
/// <param name="Signals">The heuristic signals that fired, for logs and for the caller's own rules.</param>
internal readonly record struct InjectionVerdict(double Score, double? ClassifierScore, double HeuristicScore, IReadOnlyList<string> Signals);
