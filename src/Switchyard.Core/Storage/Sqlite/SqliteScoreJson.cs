using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Switchyard.Storage.Sqlite;

/// <summary>One score row as JSON (columns: id, span_id, name, data_type, value, string_value, source, comment, user_id, created_us).</summary>
internal static class SqliteScoreJson
{
    public static void Write(Utf8JsonWriter json, SqliteDataReader r, string traceId)
    {
        json.WriteStartObject();
        json.WriteNumber("id", r.GetInt64(0));
        json.WriteString("trace_id", traceId);
        if (r.IsDBNull(1))
        {
            json.WriteNull("span_id");
        }
        else
        {
            json.WriteString("span_id", r.GetString(1));
        }

        json.WriteString("name", r.GetString(2));
        var type = r.GetString(3);
        json.WriteString("data_type", type);
        json.WritePropertyName("value");
        switch (type)
        {
            case "categorical":
                json.WriteStringValue(r.GetString(5));
                break;
            case "boolean":
                json.WriteBooleanValue(r.GetDouble(4) != 0);
                break;
            default:
                json.WriteNumberValue(r.GetDouble(4));
                break;
        }

        json.WriteString("source", r.GetString(6));
        json.WriteString("comment", r.IsDBNull(7) ? null : r.GetString(7));
        json.WriteString("user", r.IsDBNull(8) ? null : r.GetString(8));
        var created = r.GetInt64(9);
        json.WriteString("created_at", DateTimeOffset.FromUnixTimeMilliseconds(created / 1000).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        json.WriteEndObject();
    }
}
