using System.Text.Json;

namespace Switchyard.Accounting;

/// <summary>
/// Counts the prompt tokens of a chat or messages body with the model's tokenizer: the text of every
/// message, system prompt and tool definition, plus OpenAI's documented per-message overhead. Used for
/// <c>count_tokens</c> on non-Anthropic deployments, for admission and when an upstream reports no usage,
/// and by the sandbox for the usage it reports, so that all of them agree on the same request.
/// </summary>
/// <remarks>
/// The overhead is what a real upstream charges: OpenAI reports 9 prompt tokens for one user message
/// "Hello there" (2 tokens of text, 1 for the role, 3 per message, 3 priming the reply), not 2. The
/// count is the same whichever format the request is in: an Anthropic top-level <c>system</c> counts as
/// the system message it becomes in OpenAI's format, and the values of <c>type</c> fields (which say how
/// the format wraps text, <c>"text"</c>, <c>"function"</c>) are not counted, since one format has them
/// where the other does not.
/// </remarks>
internal static class PromptTokenEstimator
{
    private const int TokensPerMessage = 3;
    private const int TokensPerReply = 3;

    public static long Estimate(ReadOnlySpan<byte> body, string? model)
    {
        var tokenizer = TokenCounter.ForModel(model);
        long total = 0;
        var messages = 0;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            var countingDepth = -1;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1)
                {
                    var counted = reader.ValueTextEquals("messages"u8) || reader.ValueTextEquals("system"u8)
                        || reader.ValueTextEquals("tools"u8) || reader.ValueTextEquals("input"u8) || reader.ValueTextEquals("instructions"u8)
                        || reader.ValueTextEquals("prompt"u8);
                    var isMessages = reader.ValueTextEquals("messages"u8);
                    var isSystem = reader.ValueTextEquals("system"u8);
                    reader.Read();
                    if (!counted)
                    {
                        reader.Skip();
                        continue;
                    }

                    if (isMessages && reader.TokenType == JsonTokenType.StartArray)
                    {
                        countingDepth = reader.CurrentDepth;
                    }
                    else if (isSystem && IsPresent(reader))
                    {
                        // Anthropic's system prompt: the OpenAI system message it translates to.
                        messages++;
                        total += tokenizer.CountTokens("system");
                    }

                    if (reader.TokenType == JsonTokenType.String)
                    {
                        total += Count(tokenizer, ref reader);
                        continue;
                    }

                    var depth = reader.CurrentDepth;
                    while (reader.Read() && reader.CurrentDepth > depth)
                    {
                        if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("type"u8))
                        {
                            reader.Read();
                            reader.Skip();
                        }
                        else if (reader.TokenType == JsonTokenType.String)
                        {
                            total += Count(tokenizer, ref reader);
                        }
                        else if (reader.TokenType == JsonTokenType.StartObject && countingDepth >= 0 && reader.CurrentDepth == countingDepth + 1)
                        {
                            messages++;
                        }
                    }

                    countingDepth = -1;
                }
            }
        }
        catch (JsonException)
        {
            // Estimation is best effort; the body was validated at ingress.
        }

        return total + (messages * TokensPerMessage) + (messages > 0 ? TokensPerReply : 0);
    }

    /// <summary>A system prompt that says something: a non-empty string, or a non-empty array of blocks.</summary>
    private static bool IsPresent(Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.ValueIsEscaped || (reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > 0,
        JsonTokenType.StartArray => reader.Read() && reader.TokenType != JsonTokenType.EndArray,
        _ => false,
    };

    /// <summary>Counts a JSON string's tokens without allocating a string for it (it runs before every limited call).</summary>
    private static int Count(Microsoft.ML.Tokenizers.Tokenizer tokenizer, ref Utf8JsonReader reader)
    {
        var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > 4096)
        {
            return tokenizer.CountTokens(reader.GetString()!);
        }

        // Unescaped text is never longer in UTF-16 code units than its escaped UTF-8 bytes.
        Span<char> text = stackalloc char[length];
        var written = reader.CopyString(text);
        return tokenizer.CountTokens(text[..written]);
    }
}
