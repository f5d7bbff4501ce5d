using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>
/// Times as the API has always written them, UTC to the millisecond (<c>2026-11-27T09:00:00.000Z</c>), not the
/// serializer's offset form; read as any ISO 8601 time, without an offset taken as UTC.
/// </summary>
internal sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.ToUniversalTime()
            : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
}
