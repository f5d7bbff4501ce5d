using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

[JsonSerializable(typeof(CreatedId))]
internal sealed partial class TracingJson : JsonSerializerContext;
