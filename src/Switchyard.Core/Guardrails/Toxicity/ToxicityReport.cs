namespace Switchyard.Guardrails.Toxicity;

/// <summary>What <see cref="ToxicityDetector.Analyze"/> found.</summary>
/// <param name="Scores">
/// Every category's score, 0 to 1: one minus the product of (1 - weight) over its matches, so one
/// strong match is 1 and weak ones add up.
/// </param>
/// <param name="Matches">Matches in order of their start, at most <see cref="ToxicityDetector.MaxMatchesPerCategory"/> per category.</param>
/// <param name="Truncated">Whether the text was longer than <see cref="ToxicityDetector.MaxChars"/> and its rest not read.</param>
internal sealed record ToxicityReport(IReadOnlyDictionary<string, double> Scores, IReadOnlyList<ToxicityMatch> Matches, bool Truncated)
{
    /// <summary>The highest category score.</summary>
    public double MaxScore => Scores.Count == 0 ? 0 : Scores.Values.Max();
}
