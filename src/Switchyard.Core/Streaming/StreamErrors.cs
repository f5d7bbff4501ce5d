using System.Buffers;
using System.Text.Json;

namespace Switchyard.Streaming;

/// <summary>Error events that end a stream which already started, in each API's own shape.</summary>
internal static class StreamErrors
{
    /// <summary>
    /// OpenAI streams have no error event type; the official SDKs raise an API error when a data
    /// payload carries an <c>error</c> object, so that is what the client gets.
    /// </summary>
    public static void WriteOpenAI(IBufferWriter<byte> output, string message, string type = "server_error", string? code = "upstream_stream_error")
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", message);
            writer.WriteString("type", type);
            writer.WriteNull("param");
            if (code is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", code);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    public static void WriteAnthropic(IBufferWriter<byte> output, string type, string message)
    {
        output.Write("event: error\ndata: "u8);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", type);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }
}
