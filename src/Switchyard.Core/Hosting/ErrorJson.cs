using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class ErrorJson : JsonSerializerContext;
