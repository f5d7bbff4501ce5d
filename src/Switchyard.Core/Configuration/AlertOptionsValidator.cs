using Microsoft.Extensions.Options;
using Switchyard.Spend.Alerts;

namespace Switchyard.Configuration;

/// <summary><c>alerts</c>: bounded timeouts, and webhooks whose URL and headers a delivery may use.</summary>
internal sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        var errors = new List<string>();
        if (options.Timeout < TimeSpan.FromMilliseconds(100) || options.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add("alerts.timeout: must be from 100ms to 10m.");
        }

        if (options.RetryDelay > TimeSpan.FromMinutes(5))
        {
            errors.Add("alerts.retry_delay: must be at most 5m (retries wait at most 5 minutes).");
        }

        for (var i = 0; i < options.Webhooks.Count; i++)
        {
            var path = $"alerts.webhooks[{i}]";
            var webhook = options.Webhooks[i];
            foreach (var (header, value) in webhook.Headers)
            {
                if (!header.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
                    || header.Equals("Host", StringComparison.OrdinalIgnoreCase)
                    || header.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                    || header.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{path}.headers.{header}: not a header name a webhook request may set.");
                }
                else if (value.AsSpan().ContainsAny('\r', '\n'))
                {
                    errors.Add($"{path}.headers.{header}: the value cannot contain a line break.");
                }
            }

            // The URL may be a secret (a Slack webhook's path is its key): messages never repeat it.
            if (webhook.Url is null)
            {
                errors.Add($"{path}.url: required.");
            }
            else if (!WebhookUrlPolicy.TryCreate(webhook.Url.OriginalString, options.AllowPrivateTargets, out _, out var problem))
            {
                errors.Add($"{path}.url: {problem}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
