using System.Text.Json;

namespace Switchyard.Accounting;

/// <summary>
/// Counts the prompt tokens of a chat or messages body with the model's tokenizer: the text of every
/// message, system prompt and tool definition, plus OpenAI's documented per-message overhead. Used for
/// <c>count_tokens</c> on non-Anthropic deployments and when an upstream reports no usage.
/// </summary>
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

                    if (reader.TokenType == JsonTokenType.String)
                    {
                        total += Count(tokenizer, ref reader);
                        continue;
                    }

                    var depth = reader.CurrentDepth;
                    while (reader.Read() && reader.CurrentDepth > depth)
                    {
                        if (reader.TokenType == JsonTokenType.String)
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
