using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Switchyard.Tracing;

/// <summary>
/// Assembles an OpenAI chat stream whose deltas carry only role, text content and finish reasons
/// into one <c>chat.completion</c>, reading each chunk once with <see cref="Utf8JsonReader"/>.
/// Returns null for anything else (tool calls, refusals, reasoning, errors, bad JSON) so the caller
/// uses the general assembler.
/// </summary>
internal static class ChatTextAssembler
{
    public static string? TryAssemble(ReadOnlySpan<byte> captured)
    {
        string? id = null, model = null;
        byte[]? usage = null;
        var choices = new SortedDictionary<int, (StringBuilder Text, string? Finish)>();
        try
        {
            while (captured.Length >= 4)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(captured);
                if (length < 0 || length > captured.Length - 4)
                {
                    break;
                }

                var data = captured.Slice(4, length);
                captured = captured[(4 + length)..];
                if (data.SequenceEqual("[DONE]"u8))
                {
                    continue;
                }

                var reader = new Utf8JsonReader(data);
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("id"u8))
                    {
                        reader.Read();
                        id ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("model"u8))
                    {
                        reader.Read();
                        model ??= reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    }
                    else if (reader.ValueTextEquals("usage"u8))
                    {
                        reader.Read();
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            var start = (int)reader.TokenStartIndex;
                            reader.Skip();
                            usage = data[start..(int)reader.BytesConsumed].ToArray();
                        }
                    }
                    else if (reader.ValueTextEquals("choices"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.StartArray || !ReadChoices(ref reader, choices))
                        {
                            return null;
                        }
                    }
                    else if (reader.ValueTextEquals("error"u8))
                    {
                        return null;
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteString("object", "chat.completion");
            json.WriteString("model", model);
            json.WriteStartArray("choices");
            foreach (var (index, (text, finish)) in choices)
            {
                json.WriteStartObject();
                json.WriteNumber("index", index);
                json.WriteStartObject("message");
                json.WriteString("role", "assistant");
                json.WriteString("content", text.ToString());
                json.WriteEndObject();
                json.WriteString("finish_reason", finish);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WritePropertyName("usage");
            if (usage is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(usage, skipInputValidation: true);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static bool ReadChoices(ref Utf8JsonReader reader, SortedDictionary<int, (StringBuilder Text, string? Finish)> choices)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var index = 0;
            string? content = null, finish = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    index = reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : 0;
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    finish = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }
                else if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("content"u8))
                        {
                            reader.Read();
                            content = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                        }
                        else if (reader.ValueTextEquals("role"u8))
                        {
                            reader.Read();
                        }
                        else
                        {
                            // tool_calls, refusal, reasoning...: leave it to the general assembler.
                            reader.Read();
                            if (reader.TokenType != JsonTokenType.Null)
                            {
                                return false;
                            }
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            if (!choices.TryGetValue(index, out var state))
            {
                state = (new StringBuilder(), null);
            }

            state.Text.Append(content);
            choices[index] = (state.Text, finish ?? state.Finish);
        }

        return true;
    }
}
