using System.Globalization;
using System.Text.Json;

namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// Derives the LLM-observation fields of a span from the three attribute vocabularies that
/// instrumentations export over OTLP. Where several name the same thing the most explicit wins:
/// Langfuse's own <c>langfuse.*</c> keys (set on purpose by its SDKs), then the OpenTelemetry GenAI
/// semantic conventions (current names before the older ones they replaced), then OpenInference.
/// </summary>
/// <remarks>
/// Sources: https://opentelemetry.io/docs/specs/semconv/gen-ai/ (gen_ai.*),
/// https://arize-ai.github.io/openinference/spec/semantic_conventions.html (OpenInference),
/// https://langfuse.com/integrations/native/opentelemetry#property-mapping (langfuse.*).
/// </remarks>
internal static class SpanMapper
{
    private const string LangfuseTraceMetadata = "langfuse.trace.metadata";
    private const string LangfuseObservationMetadata = "langfuse.observation.metadata";
    private const string LangfuseUsageDetails = "langfuse.observation.usage_details";

    // GenAI events (semconv ≤ 1.36) that carry one input message each; the role is in the name.
    private static readonly Dictionary<string, string> s_messageEventRoles = new(StringComparer.Ordinal)
    {
        ["gen_ai.system.message"] = "system",
        ["gen_ai.user.message"] = "user",
        ["gen_ai.assistant.message"] = "assistant",
        ["gen_ai.tool.message"] = "tool",
    };

    public static IngestedSpan Map(OtlpSpan span)
    {
        var a = span.Attributes;
        var usage = UsageDetails(a);
        var operation = First(a, "gen_ai.operation.name");
        var toolName = First(a, "gen_ai.tool.name", "tool.name");
        var model = First(a,
            "langfuse.observation.model.name",
            "gen_ai.response.model",
            "llm.response.model_name",
            "gen_ai.request.model",
            "llm.request.model_name",
            "llm.model_name");

        return new IngestedSpan
        {
            TraceId = Convert.ToHexStringLower(span.TraceId),
            SpanId = Convert.ToHexStringLower(span.SpanId),
            ParentSpanId = span.ParentSpanId.Length == 0 || !span.ParentSpanId.AsSpan().ContainsAnyExcept((byte)0)
                ? null
                : Convert.ToHexStringLower(span.ParentSpanId),
            TraceState = span.TraceState,
            Name = span.Name,
            Kind = span.Kind,
            StartUnixNano = (long)span.StartUnixNano,
            EndUnixNano = (long)span.EndUnixNano,
            StatusCode = span.StatusCode,
            StatusMessage = span.StatusMessage ?? First(a, "langfuse.observation.status_message"),
            ServiceName = OtlpAttributes.GetString(span.ResourceAttributes, "service.name"),
            ScopeName = span.ScopeName,
            ScopeVersion = span.ScopeVersion,
            Attributes = a,
            ResourceAttributes = span.ResourceAttributes,
            Events = span.Events,
            Links = span.Links,
            Type = ResolveType(a, operation, toolName, model),
            Model = model,
            // OpenInference: llm.provider is the host (e.g. azure), llm.system the model family's vendor.
            Provider = First(a, "gen_ai.provider.name", "gen_ai.system", "llm.provider", "llm.system"),
            Operation = operation,
            ToolName = toolName,
            InputTokens = Count(usage, "input", "input_tokens", "prompt_tokens")
                ?? Count(a, "gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"),
            OutputTokens = Count(usage, "output", "output_tokens", "completion_tokens")
                ?? Count(a, "gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"),
            CachedInputTokens = Count(usage, "input_cached_tokens", "cache_read_input_tokens", "input_cache_read", "cached_tokens")
                ?? Count(a,
                    "gen_ai.usage.cache_read.input_tokens",
                    "gen_ai.usage.cache_read_input_tokens",
                    "gen_ai.usage.input_tokens.cached",
                    "llm.token_count.prompt_details.cache_read"),
            ReasoningTokens = Count(usage, "output_reasoning_tokens", "reasoning_tokens", "output_reasoning")
                ?? Count(a,
                    "gen_ai.usage.reasoning.output_tokens",
                    "gen_ai.usage.output_tokens.reasoning",
                    "gen_ai.usage.reasoning_tokens",
                    "llm.token_count.completion_details.reasoning"),
            Input = Input(span),
            Output = Output(span),
            UserId = First(a, "langfuse.user.id", "user.id", "enduser.id"),
            SessionId = First(a, "langfuse.session.id", "session.id", "gen_ai.conversation.id"),
            Tags = Tags(a),
            Metadata = Metadata(a),
            TraceName = First(a, "langfuse.trace.name"),
        };
    }

    private static string ResolveType(IReadOnlyDictionary<string, object?> a, string? operation, string? toolName, string? model)
    {
        if (ObservationType.Normalize(First(a, "langfuse.observation.type")) is { } explicitType)
        {
            return explicitType;
        }

        // OpenInference span kinds; PROMPT, DECISION and UNKNOWN have no closer match than the fallbacks.
        var kind = First(a, "openinference.span.kind")?.ToUpperInvariant() switch
        {
            "LLM" => ObservationType.Generation,
            "EMBEDDING" => ObservationType.Embedding,
            "TOOL" => ObservationType.Tool,
            "RETRIEVER" or "RERANKER" => ObservationType.Retrieval,
            "AGENT" => ObservationType.Agent,
            "CHAIN" => ObservationType.Chain,
            "GUARDRAIL" => ObservationType.Guardrail,
            "EVALUATOR" => ObservationType.Evaluator,
            _ => null,
        };
        if (kind is not null)
        {
            return kind;
        }

        // gen_ai.operation.name well-known values.
        var fromOperation = operation switch
        {
            "chat" or "text_completion" or "generate_content" => ObservationType.Generation,
            "embeddings" => ObservationType.Embedding,
            "execute_tool" => ObservationType.Tool,
            "invoke_agent" or "create_agent" => ObservationType.Agent,
            _ => null,
        };
        if (fromOperation is not null)
        {
            return fromOperation;
        }

        if (toolName is not null)
        {
            return ObservationType.Tool;
        }

        return model is not null ? ObservationType.Generation : ObservationType.Span;
    }

    private static string? Input(OtlpSpan span)
    {
        var a = span.Attributes;
        if (First(a, "langfuse.observation.input") is { } langfuse)
        {
            return langfuse;
        }

        // gen_ai.system_instructions sits beside gen_ai.input.messages; it is prepended as a system
        // message (the input-messages schema: role + parts) so the input reads as one conversation.
        a.TryGetValue("gen_ai.input.messages", out var messages);
        a.TryGetValue("gen_ai.system_instructions", out var instructions);
        if (messages is not null || instructions is not null)
        {
            if (instructions is null)
            {
                return OtlpAttributes.AsString(messages);
            }

            var combined = new List<object?>
            {
                new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = "system", ["parts"] = Structured(instructions) },
            };
            switch (Structured(messages))
            {
                case null:
                    break;
                case object?[] items:
                    combined.AddRange(items);
                    break;
                case JsonElement { ValueKind: JsonValueKind.Array } array:
                    combined.AddRange(array.EnumerateArray().Select(e => (object?)e));
                    break;
                case var other:
                    combined.Add(other);
                    break;
            }

            return OtlpAttributes.ToJson(combined);
        }

        return First(a, "input.value", "gen_ai.prompt", "gen_ai.tool.call.arguments")
            ?? Indexed(a, "gen_ai.prompt")
            ?? Indexed(a, "llm.input_messages")
            ?? FromEvents(span.Events, output: false);
    }

    private static string? Output(OtlpSpan span)
    {
        var a = span.Attributes;
        return First(a, "langfuse.observation.output", "gen_ai.output.messages", "output.value", "gen_ai.completion", "gen_ai.tool.call.result")
            ?? Indexed(a, "gen_ai.completion")
            ?? Indexed(a, "llm.output_messages")
            ?? FromEvents(span.Events, output: true);
    }

    /// <summary>
    /// Content from span events, the older GenAI way: one event per message
    /// (gen_ai.user.message, gen_ai.choice, ...) or gen_ai.content.prompt / gen_ai.content.completion
    /// with the text in a gen_ai.prompt / gen_ai.completion attribute.
    /// </summary>
    private static string? FromEvents(IReadOnlyList<IngestedSpanEvent> events, bool output)
    {
        var items = new List<object?>();
        foreach (var e in events)
        {
            if (!output && e.Name == "gen_ai.content.prompt" && OtlpAttributes.GetString(e.Attributes, "gen_ai.prompt") is { } prompt)
            {
                items.Add(prompt);
            }
            else if (output && e.Name == "gen_ai.content.completion" && OtlpAttributes.GetString(e.Attributes, "gen_ai.completion") is { } completion)
            {
                items.Add(completion);
            }
            else if (!output && s_messageEventRoles.TryGetValue(e.Name, out var role))
            {
                var message = OtlpAttributes.Unflatten(e.Attributes.Where(p => p.Key is not ("gen_ai.system" or "gen_ai.provider.name")));
                message.TryAdd("role", role);
                items.Add(message);
            }
            else if (output && e.Name == "gen_ai.choice")
            {
                items.Add(OtlpAttributes.Unflatten(e.Attributes.Where(p => p.Key is not ("gen_ai.system" or "gen_ai.provider.name"))));
            }
        }

        return items.Count switch
        {
            0 => null,
            1 when items[0] is string single => single,
            _ => OtlpAttributes.ToJson(items),
        };
    }

    /// <summary>
    /// Lists flattened with zero-based indices, e.g. OpenLLMetry's <c>gen_ai.prompt.0.content</c> or
    /// OpenInference's <c>llm.input_messages.0.message.role</c>, as a JSON array of objects.
    /// </summary>
    private static string? Indexed(IReadOnlyDictionary<string, object?> a, string prefix)
    {
        SortedDictionary<int, List<KeyValuePair<string, object?>>>? byIndex = null;
        var start = prefix.Length + 1;
        foreach (var (key, value) in a)
        {
            if (key.Length <= start || !key.StartsWith(prefix, StringComparison.Ordinal) || key[prefix.Length] != '.')
            {
                continue;
            }

            var dot = key.IndexOf('.', start);
            if (dot < 0 || !int.TryParse(key.AsSpan(start, dot - start), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                continue;
            }

            byIndex ??= [];
            if (!byIndex.TryGetValue(index, out var fields))
            {
                fields = [];
                byIndex[index] = fields;
            }

            fields.Add(new(key[(dot + 1)..], value));
        }

        return byIndex is null ? null : OtlpAttributes.ToJson(byIndex.Values.Select(f => (object?)OtlpAttributes.Unflatten(f)).ToList());
    }

    /// <summary>Langfuse's usage details: a JSON object string, or a key-value list flattened to dotted keys.</summary>
    private static Dictionary<string, object?> UsageDetails(IReadOnlyDictionary<string, object?> a)
    {
        var usage = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (OtlpAttributes.GetString(a, LangfuseUsageDetails) is { } json)
        {
            foreach (var (key, value) in ParseObject(json))
            {
                usage[key] = value.ValueKind switch
                {
                    JsonValueKind.Number => value.TryGetInt64(out var l) ? l : value.GetDouble(),
                    JsonValueKind.String => value.GetString(),
                    _ => null,
                };
            }
        }

        foreach (var (key, value) in a)
        {
            if (key.StartsWith(LangfuseUsageDetails + ".", StringComparison.Ordinal))
            {
                usage[key[(LangfuseUsageDetails.Length + 1)..]] = value;
            }
        }

        return usage;
    }

    private static IReadOnlyList<string> Tags(IReadOnlyDictionary<string, object?> a)
    {
        var tags = new List<string>();
        foreach (var key in (ReadOnlySpan<string>)["langfuse.trace.tags", "tag.tags"])
        {
            if (!a.TryGetValue(key, out var value))
            {
                continue;
            }

            switch (value)
            {
                case object?[] items:
                    tags.AddRange(items.Select(OtlpAttributes.AsString).OfType<string>());
                    break;
                case string s when s.TrimStart().StartsWith('['):
                    tags.AddRange(ParseStringArray(s));
                    break;
                case string s:
                    // Some SDKs join tags with commas when the exporter cannot carry arrays.
                    tags.AddRange(s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    break;
            }
        }

        return tags.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// OpenInference's <c>metadata</c> (a JSON object string), then Langfuse trace metadata, then
    /// observation metadata (later ones win a clash); each either as a JSON object under the bare key
    /// or as <c>prefix.key</c> attributes, which is how the Langfuse SDKs flatten it.
    /// </summary>
    private static IReadOnlyDictionary<string, string> Metadata(IReadOnlyDictionary<string, object?> a)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var prefix in (ReadOnlySpan<string>)["metadata", LangfuseTraceMetadata, LangfuseObservationMetadata])
        {
            if (OtlpAttributes.GetString(a, prefix) is { } json)
            {
                foreach (var (key, value) in ParseObject(json))
                {
                    metadata[key] = value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText();
                }
            }

            foreach (var (key, value) in a)
            {
                if (key.Length > prefix.Length + 1 && key.StartsWith(prefix, StringComparison.Ordinal) && key[prefix.Length] == '.'
                    && OtlpAttributes.AsString(value) is { } text)
                {
                    metadata[key[(prefix.Length + 1)..]] = text;
                }
            }
        }

        return metadata;
    }

    private static string? First(IReadOnlyDictionary<string, object?> a, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (OtlpAttributes.GetString(a, key) is { } value)
            {
                return value;
            }
        }

        return null;
    }

    private static long? Count(IReadOnlyDictionary<string, object?> a, params ReadOnlySpan<string> keys)
    {
        foreach (var key in keys)
        {
            if (a.TryGetValue(key, out var value) && OtlpAttributes.AsLong(value) is { } count)
            {
                return count;
            }
        }

        return null;
    }

    /// <summary>A value ready to nest in JSON output: JSON text is parsed so it is not double-encoded.</summary>
    private static object? Structured(object? value)
    {
        if (value is not string text)
        {
            return value;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private static List<KeyValuePair<string, JsonElement>> ParseObject(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value.Clone())).ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static List<string> ParseStringArray(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Array
                ? document.RootElement.EnumerateArray()
                    .Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())
                    .OfType<string>()
                    .Where(s => s.Length > 0)
                    .ToList()
                : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
