using Microsoft.Extensions.Options;
using Switchyard.Telemetry.Out;

namespace Switchyard.Configuration;

/// <summary><c>telemetry</c>: a usable collector URL, headers the exporter can carry, a sane push interval.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        var errors = new List<string>();
        if (options.OtlpEndpoint is { } endpoint && !(endpoint.IsAbsoluteUri && endpoint.Scheme is "http" or "https"))
        {
            errors.Add($"telemetry.otlp_endpoint: '{endpoint.OriginalString}' is not an absolute http(s) URL.");
        }

        // The exporter takes headers as one "name=value,name=value" string.
        foreach (var (header, value) in options.OtlpHeaders)
        {
            if (header.AsSpan().ContainsAny(",="))
            {
                errors.Add($"telemetry.otlp_headers.{header}: header names cannot contain ',' or '='.");
            }
            else if (value.Contains(',', StringComparison.Ordinal))
            {
                errors.Add($"telemetry.otlp_headers.{header}: the value cannot contain ','.");
            }
        }

        if (options.ExportMetricsInterval < TimeSpan.FromMilliseconds(100))
        {
            errors.Add("telemetry.metrics_interval: must be at least 100ms.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
