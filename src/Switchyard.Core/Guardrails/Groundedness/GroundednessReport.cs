namespace Switchyard.Guardrails.Groundedness;

/// <summary>What <see cref="GroundednessChecker.CheckAsync"/> found.</summary>
/// <param name="Sentences">The checked sentences, in order; skipped ones are not listed.</param>
/// <param name="UnsupportedShare">Unsupported sentences over checked ones, 0 to 1 (0 when none was checked).</param>
/// <param name="Skipped">Sentences not checked: short (under four words), questions, and those past the cap.</param>
internal sealed record GroundednessReport(IReadOnlyList<SentenceVerdict> Sentences, double UnsupportedShare, int Skipped);
