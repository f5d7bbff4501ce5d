using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>Where spend alerts go, and how hard Switchyard tries to deliver them.</summary>
internal sealed class AlertOptions
{
    [ConfigurationKeyName("webhooks")]
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>
    /// Allow webhooks on loopback, private (RFC 1918, CGNAT, ULA) and link-local addresses. Cloud
    /// metadata, unspecified, multicast and reserved addresses stay refused either way.
    /// </summary>
    [ConfigurationKeyName("allow_private_targets")]
    public bool AllowPrivateTargets { get; set; }

    /// <summary>POSTs per alert and webhook, the first included; retried on 5xx, 429, 408, timeouts and network errors.</summary>
    [ConfigurationKeyName("max_attempts"), ConfigValue(Min = 1, Max = 20)]
    public int MaxAttempts { get; set; } = 4;

    /// <summary>One webhook POST, connect to response headers.</summary>
    [ConfigurationKeyName("timeout")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first retry; doubled for each later one, with jitter.</summary>
    [ConfigurationKeyName("retry_delay")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fired alerts waiting for the delivery worker; when full, an alert is not marked fired and fires on a later call.</summary>
    [ConfigurationKeyName("queue_capacity"), ConfigValue(Min = 1, Max = 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;
}
