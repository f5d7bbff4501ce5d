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
                        total += tokenizer.CountTokens(reader.GetString()!);
                        continue;
                    }

                    var depth = reader.CurrentDepth;
                    while (reader.Read() && reader.CurrentDepth > depth)
                    {
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            total += tokenizer.CountTokens(reader.GetString()!);
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
}
