namespace Switchyard.Guardrails.Injection;

/// <summary>
/// Scores a text for prompt injection and jailbreaks: the heuristics always, and the trained
/// logistic classifier when the caller has the text's MiniLM embedding (for a user turn, the
/// <c>TurnEmbedding</c> the semantic cache already computed, so nothing is embedded twice).
/// </summary>
/// <remarks>
/// Without an embedding only the heuristics score, which keeps precision (they fire on an attack's
/// shape) but loses recall on attacks that share no phrase with them (role-play set-ups,
/// translated attacks); docs/guardrails-injection-figures.md has the figures. Every path's cut-off
/// is mapped onto <see cref="DefaultThreshold"/>, so a caller compares <see cref="InjectionVerdict.Score"/>
/// with one number. The detector never embeds by itself: a payload decoded out of the text (base64,
/// hex) is scored by the classifier only when the caller passes <c>embedDecoded</c>.
/// </remarks>
internal sealed class InjectionDetector
{
    /// <summary>The cut-off on <see cref="InjectionVerdict.Score"/>: every path's own cut-off is mapped here.</summary>
    public const double DefaultThreshold = 0.5;

    private static readonly Lazy<InjectionDetector> s_shared = new(() => new InjectionDetector(InjectionModel.Embedded));

    private readonly InjectionModel _model;
    private readonly Func<string, float[]?>? _embedDecoded;

    /// <param name="model">The trained weights and cut-offs.</param>
    /// <param name="embedDecoded">Optional: embeds a decoded payload so the classifier can read it too; may return null when busy.</param>
    public InjectionDetector(InjectionModel model, Func<string, float[]?>? embedDecoded = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _embedDecoded = embedDecoded;
    }

    /// <summary>A detector over the embedded model, without decoded-payload embedding.</summary>
    public static InjectionDetector Shared => s_shared.Value;

    /// <summary>
    /// The payloads decoded out of <paramref name="text"/> (base64, hex, binary, Morse), which differ from the text as
    /// sent; a caller may embed them and score them as their own texts.
    /// </summary>
    public static IReadOnlyList<string> DecodedViews(string text) => TextNormaliser.DecodedPayloads(text);

    /// <summary>Scores a text.</summary>
    /// <param name="text">The raw text, as the model would see it.</param>
    /// <param name="embedding">MiniLM embedding of exactly <paramref name="text"/>, or null to score with the heuristics only.</param>
    /// <param name="content">A user turn or data (tool result, document).</param>
    public InjectionVerdict Score(string text, float[]? embedding, InjectionContent content)
    {
        ArgumentNullException.ThrowIfNull(text);
        HeuristicMatch heuristics = InjectionHeuristics.Evaluate(text);
        bool data = content == InjectionContent.Data;
        if (embedding is null || embedding.Length != _model.Dimensions)
        {
            double cut = data ? _model.DataHeuristicThreshold : _model.HeuristicThreshold;
            return new InjectionVerdict(MapOnto(heuristics.Score, cut), null, heuristics.Score, heuristics.Signals);
        }

        double probability = _model.Probability(InjectionModel.Features(embedding, heuristics));
        if (heuristics.DecodedPayload && _embedDecoded is not null)
        {
            foreach (string payload in TextNormaliser.DecodedPayloads(text))
            {
                float[]? decodedEmbedding = _embedDecoded(payload);
                if (decodedEmbedding is not null && decodedEmbedding.Length == _model.Dimensions)
                {
                    HeuristicMatch decodedHeuristics = InjectionHeuristics.Evaluate(payload);
                    probability = Math.Max(probability, _model.Probability(InjectionModel.Features(decodedEmbedding, decodedHeuristics)));
                }
            }
        }

        double classifierCut = data ? _model.DataClassifierThreshold : _model.ClassifierThreshold;
        return new InjectionVerdict(MapOnto(probability, classifierCut), probability, heuristics.Score, heuristics.Signals);
    }

    /// <summary>True when the verdict's score reaches <see cref="DefaultThreshold"/>.</summary>
    public static bool IsInjection(InjectionVerdict verdict) => verdict.Score >= DefaultThreshold;

    /// <summary>Maps [0, cut] onto [0, DefaultThreshold] and [cut, 1] onto [DefaultThreshold, 1], keeping order.</summary>
    private static double MapOnto(double value, double cut)
    {
        cut = Math.Clamp(cut, 1e-6, 1 - 1e-6);
        value = Math.Clamp(value, 0, 1);
        return value < cut
            ? value / cut * DefaultThreshold
            : DefaultThreshold + ((value - cut) / (1 - cut) * (1 - DefaultThreshold));
    }
}
