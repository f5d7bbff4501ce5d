namespace Switchyard.Guardrails.Injection;

/// <summary>What the heuristics found in a text: the combined score, the family strengths, the signal names.</summary>
/// <param name="Score">1 − Π(1 − weight) over the signals that fired, in [0, 1].</param>
/// <param name="Families">Per family, the largest weight that fired (the classifier's extra features).</param>
/// <param name="Signals">Names of the signals that fired, with the view they fired in when it was not the plain one.</param>
/// <param name="DecodedPayload">True when a base64 or hex payload was decoded out of the text.</param>
internal sealed record HeuristicMatch(double Score, double[] Families, IReadOnlyList<string> Signals, bool DecodedPayload);
