namespace Switchyard.Configuration;

/// <summary>The configuration cannot be used; <see cref="Exception.Message"/> lists every problem with its key.</summary>
internal sealed class ConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:\n  - " + string.Join("\n  - ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
