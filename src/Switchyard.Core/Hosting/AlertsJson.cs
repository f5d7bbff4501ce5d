using System.Text.Json.Serialization;
using Switchyard.Spend.Alerts;

namespace Switchyard.Hosting;

/// <summary><c>GET /api/alerts</c>: fired alerts, newest first.</summary>
internal sealed record AlertList([property: JsonPropertyName("data")] IReadOnlyList<AlertItem> Data);

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

internal sealed record AlertDelivery(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] int Attempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("delivered_at")] DateTime? DeliveredAt);

/// <summary><c>POST /api/alerts/test</c>: one result per configured webhook, in configuration order.</summary>
internal sealed record WebhookTestResults([property: JsonPropertyName("results")] IReadOnlyList<WebhookTestResult> Results);

internal sealed record WebhookTestResult(
    [property: JsonPropertyName("webhook")] int Index,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("ok")] bool Ok,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("error")] string? Error);

[JsonSerializable(typeof(AlertList))]
[JsonSerializable(typeof(WebhookTestResults))]
internal sealed partial class AlertsJson : JsonSerializerContext;
