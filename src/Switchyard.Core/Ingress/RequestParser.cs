using System.Text.Json;
using System.Text.Unicode;

namespace Switchyard.Ingress;

/// <summary>
/// Validates a request body (UTF-8, well-formed JSON, bounded depth, an object at the top) and reads the
/// few fields the gateway needs in one forward pass with <see cref="Utf8JsonReader"/>.
/// </summary>
internal static class RequestParser
{
    public static bool TryParse(ReadOnlySpan<byte> body, in RequestLimits limits, out ParsedRequest request, out string? error)
    {
        request = ParsedRequest.Empty;
        if (body.IsEmpty)
        {
            error = "The request body is empty; send a JSON object.";
            return false;
        }

        // Utf8JsonReader checks structure, but not every invalid UTF-8 sequence inside strings.
        if (!Utf8.IsValid(body))
        {
            error = "The request body is not valid UTF-8.";
            return false;
        }

        try
        {
            return Parse(body, limits, out request, out error);
        }
        catch (JsonException ex)
        {
            error = $"The request body is not valid JSON: {Describe(ex)}";
            return false;
        }
    }

    private static bool Parse(ReadOnlySpan<byte> body, in RequestLimits limits, out ParsedRequest request, out string? error)
    {
        request = ParsedRequest.Empty;
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = limits.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            error = "The request body must be a JSON object.";
            return false;
        }

        var objectStart = (int)reader.TokenStartIndex;
        string? model = null;
        bool stream = false;
        bool? includeUsage = null;
        Range modelValue = default, streamOptionsValue = default;
        var messageCount = 0;
        string? user = null;
        Range metadataValue = default;
        Range contextValue = default;
        Range promptValue = default;
        long? maxOutputTokens = null;
        long? maxTokens = null;

        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
            {
                break;
            }

            // Depth 1: a top-level property name.
            if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = "'model' must be a string.";
                    return false;
                }

                modelValue = new Range((int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                model = reader.GetString();
            }
            else if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    stream = reader.GetBoolean();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    error = "'stream' must be a boolean.";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("stream_options"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    while (reader.Read() && reader.CurrentDepth > 1)
                    {
                        if (reader.CurrentDepth == 2 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("include_usage"u8))
                        {
                            reader.Read();
                            if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                            {
                                includeUsage = reader.GetBoolean();
                            }
                            else if (reader.TokenType != JsonTokenType.Null)
                            {
                                error = "'stream_options.include_usage' must be a boolean.";
                                return false;
                            }
                        }
                        else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            reader.Skip();
                        }
                    }

                    streamOptionsValue = new Range(start, (int)reader.BytesConsumed);
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    error = "'stream_options' must be an object.";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("messages"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    error = "'messages' must be an array.";
                    return false;
                }

                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        error = $"'messages[{messageCount}]' must be an object.";
                        return false;
                    }

                    reader.Skip();
                    if (++messageCount > limits.MaxMessages)
                    {
                        error = $"Too many messages: more than {limits.MaxMessages} (server.max_messages).";
                        return false;
                    }
                }
            }
            else if (reader.ValueTextEquals("user"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    user = reader.GetString();
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    error = "'user' must be a string.";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) || reader.ValueTextEquals("max_output_tokens"u8))
            {
                var name = reader.GetString();
                reader.Read();
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var max) && max >= 0)
                {
                    // Both may be present (max_tokens is deprecated for max_completion_tokens); the larger bounds the output.
                    maxOutputTokens = Math.Max(maxOutputTokens ?? 0, max);
                    if (name == "max_tokens")
                    {
                        maxTokens = max;
                    }
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    error = $"'{name}' must be a non-negative integer.";
                    return false;
                }
            }
            else if (reader.ValueTextEquals("metadata"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    var depth = reader.CurrentDepth;
                    while (reader.Read() && reader.CurrentDepth > depth)
                    {
                        // Anthropic puts the end user in metadata.user_id.
                        if (reader.CurrentDepth == depth + 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("user_id"u8))
                        {
                            reader.Read();
                            if (reader.TokenType == JsonTokenType.String)
                            {
                                user ??= reader.GetString();
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                        else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                        {
                            reader.Skip();
                        }
                    }

                    metadataValue = new Range(start, (int)reader.BytesConsumed);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("context"u8))
            {
                // Switchyard's extension: documents for the groundedness guards, taken out before the call goes upstream.
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                contextValue = new Range(start, (int)reader.BytesConsumed);
            }
            else if (reader.ValueTextEquals("prompt"u8))
            {
                // A prompt reference (Switchyard's), or the Responses API's stored prompt: the prompt stage tells them apart.
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                promptValue = new Range(start, (int)reader.BytesConsumed);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        // Anything after the closing brace (a second object, garbage) makes the body invalid.
        if (reader.BytesConsumed < body.Length && !body[(int)reader.BytesConsumed..].Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "The request body has data after the JSON object.";
            return false;
        }

        request = new ParsedRequest
        {
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            ModelValue = modelValue,
            StreamOptionsValue = streamOptionsValue,
            ObjectStart = objectStart,
            MessageCount = messageCount,
            User = user,
            MetadataValue = metadataValue,
            ContextValue = contextValue,
            PromptValue = promptValue,
            MaxOutputTokens = maxOutputTokens,
            MaxTokens = maxTokens,
        };
        error = null;
        return true;
    }

    private static string Describe(JsonException ex)
    {
        // The reader's message names the problem and the byte position; strip the type noise.
        var message = ex.Message;
        var cut = message.IndexOf(" LineNumber", StringComparison.Ordinal);
        var position = ex.BytePositionInLine is { } pos ? $" (line {ex.LineNumber + 1}, byte {pos + 1})" : "";
        return (cut > 0 ? message[..cut].TrimEnd('.', ' ') : message) + position + ".";
    }
}
