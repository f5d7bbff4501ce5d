using System.Text.Json.Serialization;

namespace Switchyard.Spend.Alerts;

[JsonSerializable(typeof(ThresholdCrossedEvent))]
[JsonSerializable(typeof(TestEvent))]
[JsonSerializable(typeof(SlackMessage))]
internal sealed partial class WebhookJson : JsonSerializerContext;
