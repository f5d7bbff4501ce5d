using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Writes server-sent events whose data is one JSON object, straight into the output buffer. One
/// <see cref="Utf8JsonWriter"/> is reused for every event of a stream to avoid an allocation per chunk.
/// </summary>
internal sealed class SseEventWriter
{
    private Utf8JsonWriter? _json;

    /// <summary>Starts an event and returns the writer for its JSON data; finish with <see cref="End"/>.</summary>
    /// <param name="eventName">The <c>event:</c> line (Anthropic names every event); empty for none (OpenAI).</param>
    public Utf8JsonWriter Begin(IBufferWriter<byte> output, ReadOnlySpan<byte> eventName)
    {
        if (!eventName.IsEmpty)
        {
            output.Write("event: "u8);
            output.Write(eventName);
            output.Write("\n"u8);
        }

        output.Write("data: "u8);
        if (_json is null)
        {
            _json = new Utf8JsonWriter(output, WireJson.WriterOptions);
        }
        else
        {
            _json.Reset(output);
        }

        return _json;
    }

    public void End(IBufferWriter<byte> output)
    {
        _json!.Flush();
        output.Write("\n\n"u8);
    }

    public static void WriteDone(IBufferWriter<byte> output) => output.Write("data: [DONE]\n\n"u8);
}
