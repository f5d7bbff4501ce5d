namespace Switchyard.Configuration;

internal sealed class WebhookOptions
{
    /// <summary>The target, validated by <c>WebhookUrlPolicy</c>. May hold a secret (Slack): never logged whole.</summary>
    public required Uri Url { get; init; }

    public WebhookFormat Format { get; init; } = WebhookFormat.Json;

    /// <summary>Extra request headers, resolved from <c>env:NAME</c> references. Never logged.</summary>
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
