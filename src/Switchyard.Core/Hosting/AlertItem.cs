using System.Text.Json.Serialization;
using Switchyard.Spend.Alerts;

namespace Switchyard.Hosting;

/// <summary>One fired alert: the fields of the webhook body, plus how delivery went.</summary>
internal sealed record AlertItem(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("subject")] AlertSubject Subject,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("budget_usd")] string BudgetUsd,
    [property: JsonPropertyName("spent_usd")] string SpentUsd,
    [property: JsonPropertyName("window")] AlertWindow Window,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("fired_at")] DateTime FiredAt,
    [property: JsonPropertyName("delivery")] AlertDelivery Delivery);
