namespace Switchyard.Accounting.Pricing;

/// <summary>A price file cannot be used; <see cref="Exception.Message"/> lists every problem with its path.</summary>
internal sealed class PriceFileException(string sourceName, IReadOnlyList<string> errors)
    : Exception($"Invalid price file {sourceName}:\n  - " + string.Join("\n  - ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
