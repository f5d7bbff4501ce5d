using System.Text.Json.Serialization;
using Switchyard.Spend.Alerts;

namespace Switchyard.Hosting;

[JsonSerializable(typeof(AlertList))]
[JsonSerializable(typeof(WebhookTestResults))]
internal sealed partial class AlertsJson : JsonSerializerContext;
