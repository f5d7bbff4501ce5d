using System.Text.Json;

namespace Switchyard.Accounting;

/// <summary>
/// Reads usage, model, finish reason and content presence from OpenAI chat / Responses and Anthropic
/// Messages payloads in one forward pass, without building a DOM. Unknown shapes yield an empty summary.
/// </summary>
internal static class ResponseSummaryReader
{
    public static ResponseSummary Read(ReadOnlySpan<byte> json, bool anthropic, bool readIdentity = true)
    {
        var summary = new ResponseSummary { ChoiceCount = -1 };
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                ReadObject(ref reader, ref summary, anthropic, readIdentity);
            }
        }
        catch (JsonException)
        {
            // A malformed upstream payload is relayed as is; accounting falls back to counting.
        }

        return summary;
    }

    private static void ReadObject(ref Utf8JsonReader reader, ref ResponseSummary summary, bool anthropic, bool readIdentity)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("usage"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    var usage = ReadUsage(ref reader, anthropic);
                    // Anthropic streams split usage: input in message_start, output in message_delta.
                    summary.Usage = summary.Usage is { } prior && anthropic ? Merge(prior, usage) : usage;
                }
            }
            else if (reader.ValueTextEquals("model"u8))
            {
                reader.Read();
                if (readIdentity && reader.TokenType == JsonTokenType.String)
                {
                    summary.Model = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("system_fingerprint"u8))
            {
                reader.Read();
                if (readIdentity && reader.TokenType == JsonTokenType.String)
                {
                    summary.SystemFingerprint = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("choices"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartArray)
                {
                    summary.ChoiceCount = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType == JsonTokenType.StartObject)
                        {
                            summary.ChoiceCount++;
                            ReadChoice(ref reader, ref summary);
                        }
                    }
                }
            }
            else if (reader.ValueTextEquals("stop_reason"u8) || reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    summary.FinishReason = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && summary.FinishReason is null)
                {
                    var status = reader.GetString();
                    if (status is "completed" or "incomplete" or "failed")
                    {
                        summary.FinishReason = status;
                    }
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    summary.HasError = true;
                }

                reader.Skip();
            }
            else if (reader.ValueTextEquals("response"u8) || reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("delta"u8))
            {
                // Responses events wrap a response object; Anthropic message_start wraps a message and
                // message_delta carries stop_reason in delta.
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadObject(ref reader, ref summary, anthropic, readIdentity);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String
                    && (reader.ValueTextEquals("content_block_delta"u8) || reader.ValueTextEquals("response.output_text.delta"u8)
                        || reader.ValueTextEquals("response.function_call_arguments.delta"u8) || reader.ValueTextEquals("response.refusal.delta"u8)))
                {
                    summary.HasContent = true;
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static void ReadChoice(ref Utf8JsonReader reader, ref ResponseSummary summary)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("finish_reason"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    summary.FinishReason = reader.GetString();
                }
            }
            else if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var inner = reader.CurrentDepth;
                while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == inner))
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    var isContent = reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("tool_calls"u8)
                        || reader.ValueTextEquals("refusal"u8) || reader.ValueTextEquals("reasoning_content"u8)
                        || reader.ValueTextEquals("function_call"u8);
                    reader.Read();
                    if (isContent && reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject
                        || isContent && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                    {
                        summary.HasContent = true;
                    }

                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader, bool anthropic)
    {
        long prompt = 0, completion = 0, cached = 0, cacheWrite = 0, reasoning = 0, input = 0;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("completion_tokens"u8) || reader.ValueTextEquals("output_tokens"u8))
            {
                completion = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                cached = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                cacheWrite = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8) || reader.ValueTextEquals("input_tokens_details"u8)
                || reader.ValueTextEquals("completion_tokens_details"u8) || reader.ValueTextEquals("output_tokens_details"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                var inner = reader.CurrentDepth;
                while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == inner))
                {
                    if (reader.TokenType != JsonTokenType.PropertyName)
                    {
                        continue;
                    }

                    if (reader.ValueTextEquals("cached_tokens"u8))
                    {
                        cached = ReadLong(ref reader);
                    }
                    else if (reader.ValueTextEquals("reasoning_tokens"u8))
                    {
                        reasoning = ReadLong(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (anthropic)
        {
            // Anthropic's input_tokens excludes cache reads and writes; ours includes them.
            return new TokenUsage(input + cached + cacheWrite, completion, cached, cacheWrite, reasoning);
        }

        return new TokenUsage(prompt > 0 ? prompt : input, completion, cached, cacheWrite, reasoning);
    }

    private static TokenUsage Merge(TokenUsage prior, TokenUsage next) => new(
        Math.Max(prior.InputTokens, next.InputTokens),
        Math.Max(prior.OutputTokens, next.OutputTokens),
        Math.Max(prior.CachedInputTokens, next.CachedInputTokens),
        Math.Max(prior.CacheWriteTokens, next.CacheWriteTokens),
        Math.Max(prior.ReasoningTokens, next.ReasoningTokens));

    private static long ReadLong(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? value : 0;
    }
}
