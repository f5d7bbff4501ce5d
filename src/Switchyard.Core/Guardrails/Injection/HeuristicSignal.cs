using System.Text.RegularExpressions;

namespace Switchyard.Guardrails.Injection;

/// <summary>
/// One weighted pattern of <see cref="InjectionHeuristics"/>: its name (reported in a verdict's
/// signals), the family it belongs to (one classifier feature per family), and how much a match
/// alone should count, as the probability that a text showing only this signal is an attack.
/// </summary>
internal sealed record HeuristicSignal(string Name, int Family, double Weight, Regex Pattern);
