namespace Switchyard.Guardrails.Injection;

internal enum InjectionContent
{
    UserTurn,
    Data,
}

internal readonly record struct InjectionVerdict(double Score, double? ClassifierScore, double HeuristicScore, IReadOnlyList<string> Signals);

internal sealed class InjectionDetector
{
    public const double DefaultThreshold = 0.5;

    public static InjectionDetector Shared { get; } = new();

    public InjectionVerdict Score(string text, float[]? embedding, InjectionContent content) =>
        text.Contains("ignore previous instructions", StringComparison.OrdinalIgnoreCase) ? new(0.9, null, 0.9, ["override"]) : new(0.01, null, 0.01, []);
}
