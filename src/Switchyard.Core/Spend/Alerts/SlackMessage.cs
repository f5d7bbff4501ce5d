using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

/// <summary>A Slack incoming-webhook message.</summary>
internal sealed record SlackMessage([property: JsonPropertyName("text")] string Text);
