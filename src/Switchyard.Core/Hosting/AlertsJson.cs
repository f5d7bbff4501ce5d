using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

[JsonSerializable(typeof(AlertList))]
[JsonSerializable(typeof(WebhookTestResults))]
internal sealed partial class AlertsJson : JsonSerializerContext;
