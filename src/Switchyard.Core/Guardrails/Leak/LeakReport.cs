namespace Switchyard.Guardrails.Leak;

/// <summary>What <see cref="SystemPromptLeakDetector.Detect"/> found.</summary>
/// <param name="Spans">Leaked spans in the answer, in order of their start.</param>
/// <param name="Score">
/// The longest verbatim span's words over min(the system prompt's words, 50), capped at 1; 1 when a
/// canary was found, since a canary has no innocent explanation.
/// </param>
/// <param name="LongestSpanWords">The longest verbatim span, in words (0 when none).</param>
/// <param name="CanaryFound">Whether any configured canary token appears in the answer.</param>
internal sealed record LeakReport(IReadOnlyList<LeakSpan> Spans, double Score, int LongestSpanWords, bool CanaryFound)
{
    public static LeakReport None { get; } = new([], 0, 0, false);

    public bool Leaked => Spans.Count > 0;
}
