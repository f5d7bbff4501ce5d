namespace Switchyard.Configuration;

internal enum WebhookFormat
{
    /// <summary>The documented Switchyard event body (docs/configuration.md).</summary>
    Json,

    /// <summary><c>{"text": "..."}</c>, for Slack incoming webhooks and compatible receivers.</summary>
    Slack,
}
