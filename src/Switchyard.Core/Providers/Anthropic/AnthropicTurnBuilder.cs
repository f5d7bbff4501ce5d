using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Collects the content blocks of consecutive messages with the same Anthropic role into one turn,
/// because Anthropic rejects two turns of one role in a row (OpenAI allows them, and sends each tool
/// result as its own message). A turn is opened only when its first block arrives, so a message that
/// contributes no blocks never splits or empties a turn.
/// </summary>
internal sealed class AnthropicTurnBuilder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _blocks = new();
    private readonly Utf8JsonWriter _writer;
    private string? _role;

    public AnthropicTurnBuilder()
    {
        _writer = new Utf8JsonWriter(_blocks, WireJson.WriterOptions);
    }

    /// <summary>How many turns were written to the output.</summary>
    public int TurnCount { get; private set; }

    /// <summary>Returns the writer for one more block of <paramref name="role"/>, writing out the previous turn if the role changed.</summary>
    public Utf8JsonWriter NextBlock(string role, Utf8JsonWriter output)
    {
        if (_role != role)
        {
            Flush(output);
            _role = role;
            _writer.WriteStartArray();
        }

        return _writer;
    }

    /// <summary>Writes out the pending turn.</summary>
    public void Flush(Utf8JsonWriter output)
    {
        if (_role is null)
        {
            return;
        }

        _writer.WriteEndArray();
        _writer.Flush();
        output.WriteStartObject();
        output.WriteString("role", _role);
        output.WritePropertyName("content");
        output.WriteRawValue(_blocks.WrittenSpan, skipInputValidation: true);
        output.WriteEndObject();
        TurnCount++;

        _blocks.ResetWrittenCount();
        _writer.Reset(_blocks);
        _role = null;
    }

    public void Dispose() => _writer.Dispose();
}
