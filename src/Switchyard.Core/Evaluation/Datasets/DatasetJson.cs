using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Datasets;

[JsonSerializable(typeof(string[]))]
internal sealed partial class DatasetJson : JsonSerializerContext;
