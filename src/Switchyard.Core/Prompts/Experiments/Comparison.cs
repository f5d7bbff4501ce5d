namespace Switchyard.Prompts.Experiments;

/// <summary>A difference (treatment minus control) with its confidence interval, a p-value and the test that gave it.</summary>
internal sealed record Comparison(double Difference, double Low, double High, double P, string Test);
