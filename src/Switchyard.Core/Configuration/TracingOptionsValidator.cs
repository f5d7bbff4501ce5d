using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary><c>tracing.redact</c>: each entry a known pattern name or a regular expression that compiles.</summary>
internal sealed class TracingOptionsValidator : IValidateOptions<TracingOptions>
{
    public ValidateOptionsResult Validate(string? name, TracingOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.Redact.Count; i++)
        {
            if (options.Redact[i] is not { Length: > 0 } pattern)
            {
                errors.Add($"tracing.redact[{i}]: must be a pattern name or a regular expression.");
            }
            else if (Tracing.ContentRedactor.Validate(pattern) is { } problem)
            {
                errors.Add($"tracing.redact[{i}]: {problem}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
