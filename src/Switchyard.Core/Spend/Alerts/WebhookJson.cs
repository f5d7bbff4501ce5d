using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

/// <summary>Who an alert is about.</summary>
internal sealed record AlertSubject(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("id")] string Id);

/// <summary>A budget window; <c>end</c> is null for a total budget.</summary>
internal sealed record AlertWindow(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("start")] DateTime Start,
    [property: JsonPropertyName("end")] DateTime? End);

/// <summary>
/// The <c>json</c> webhook body (docs/configuration.md). Money is a decimal string in USD, as
/// everywhere in the API; <c>id</c> is the alert's id in <c>/api/alerts</c>, for receivers that
/// de-duplicate (delivery is at least once).
/// </summary>
internal sealed record ThresholdCrossedEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("subject")] AlertSubject Subject,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("budget_usd")] string BudgetUsd,
    [property: JsonPropertyName("spent_usd")] string SpentUsd,
    [property: JsonPropertyName("window")] AlertWindow Window,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("fired_at")] DateTime FiredAt,
    [property: JsonPropertyName("text")] string Text);

/// <summary>The <c>json</c> body of <c>POST /api/alerts/test</c>.</summary>
internal sealed record TestEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("text")] string Text,
    [property: JsonPropertyName("sent_at")] DateTime SentAt);

/// <summary>A Slack incoming-webhook message.</summary>
internal sealed record SlackMessage([property: JsonPropertyName("text")] string Text);

[JsonSerializable(typeof(ThresholdCrossedEvent))]
[JsonSerializable(typeof(TestEvent))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class WebhookJson : JsonSerializerContext;
