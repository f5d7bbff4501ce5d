using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

internal sealed class WebhookOptions
{
    /// <summary>The target, validated by <c>WebhookUrlPolicy</c>. May hold a secret (Slack): never logged whole. Never null once loaded: a webhook without one is refused.</summary>
    [ConfigurationKeyName("url"), ConfigValue(Secret = true)]
    public Uri Url { get; set; } = null!;

    [ConfigurationKeyName("format")]
    public WebhookFormat Format { get; set; } = WebhookFormat.Json;

    /// <summary>Extra request headers, resolved from <c>env:NAME</c> references. Never logged.</summary>
    [ConfigurationKeyName("headers"), ConfigValue(Secret = true)]
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
