using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>A string holding JSON the API validated when it took it (metadata), written as that JSON rather than as a string.</summary>
internal sealed class RawJsonConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteRawValue(value, skipInputValidation: true);
}
