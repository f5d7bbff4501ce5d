using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary><c>POST /api/alerts/test</c>: one result per configured webhook, in configuration order.</summary>
internal sealed record WebhookTestResults([property: JsonPropertyName("results")] IReadOnlyList<WebhookTestResult> Results);
