using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

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
