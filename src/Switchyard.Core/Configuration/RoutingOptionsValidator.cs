using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary><c>routing</c>: delays in order, and Polly's own bounds reported as configuration errors rather than a failure at start.</summary>
internal sealed class RoutingOptionsValidator : IValidateOptions<RoutingOptions>
{
    public ValidateOptionsResult Validate(string? name, RoutingOptions options)
    {
        var errors = new List<string>();
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add("routing.retry_max_delay: must not be shorter than routing.retry_base_delay.");
        }

        if (options.RetryBudget.Window < TimeSpan.FromSeconds(1) || options.RetryBudget.Window > TimeSpan.FromMinutes(10))
        {
            errors.Add("routing.retry_budget.window: must be from 1s to 10m.");
        }

        if (options.Breaker.FailureRatio <= 0)
        {
            errors.Add("routing.breaker.failure_ratio: must be above 0 (set enabled: false to switch breakers off).");
        }

        if (options.Breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || options.Breaker.SamplingDuration > TimeSpan.FromDays(1))
        {
            errors.Add("routing.breaker.sampling_duration: must be from 500ms to 1d.");
        }

        if (options.Breaker.BreakDuration < TimeSpan.FromMilliseconds(500) || options.Breaker.BreakDuration > TimeSpan.FromDays(1))
        {
            errors.Add("routing.breaker.break_duration: must be from 500ms to 1d.");
        }

        if (options.HealthChecks.Enabled && options.HealthChecks.Interval < TimeSpan.FromSeconds(1))
        {
            errors.Add("routing.health_checks.interval: must be 0 (off) or at least 1s.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
