using System.Text.Json.Serialization;

namespace Switchyard.Recording;

/// <summary>Source-generated JSON for what the recorder stores as JSON text.</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class RecordJson : JsonSerializerContext;
