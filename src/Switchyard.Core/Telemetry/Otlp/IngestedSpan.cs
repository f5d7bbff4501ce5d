namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// One span decoded from an OTLP trace export, with the LLM-observation fields that
/// <see cref="SpanMapper"/> derived from its attributes and events.
/// </summary>
internal sealed record IngestedSpan
{
    /// <summary>32 lowercase hex characters.</summary>
    public required string TraceId { get; init; }

    /// <summary>16 lowercase hex characters.</summary>
    public required string SpanId { get; init; }

    /// <summary>The id of the key that sent the span ('admin' for the admin key); set by the endpoint once the span is accepted.</summary>
    public string? WriterKey { get; set; }

    /// <summary>The team of the key that sent the span, if it has one.</summary>
    public string? WriterTeam { get; set; }

    /// <summary>Null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    public string? TraceState { get; init; }

    public required string Name { get; init; }

    /// <summary>trace.proto <c>SpanKind</c>: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.</summary>
    public int Kind { get; init; }

    public long StartUnixNano { get; init; }

    public long EndUnixNano { get; init; }

    /// <summary>trace.proto <c>Status.StatusCode</c>: 0 unset, 1 ok, 2 error.</summary>
    public int StatusCode { get; init; }

    public string? StatusMessage { get; init; }

    /// <summary>The resource's <c>service.name</c>.</summary>
    public string? ServiceName { get; init; }

    public string? ScopeName { get; init; }

    public string? ScopeVersion { get; init; }

    /// <summary>
    /// Span attributes, flattened: a nested key-value list becomes dotted keys, an array becomes
    /// <c>object?[]</c>; scalars are string, bool, long, double or byte[].
    /// </summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }

    /// <summary>Resource attributes, flattened like <see cref="Attributes"/>.</summary>
    public required IReadOnlyDictionary<string, object?> ResourceAttributes { get; init; }

    public required IReadOnlyList<IngestedSpanEvent> Events { get; init; }

    public required IReadOnlyList<IngestedSpanLink> Links { get; init; }

    /// <summary>One of the <see cref="ObservationType"/> names.</summary>
    public string Type { get; init; } = ObservationType.Span;

    /// <summary>The response model when reported, else the request model.</summary>
    public string? Model { get; init; }

    public string? Provider { get; init; }

    /// <summary>The GenAI operation (<c>gen_ai.operation.name</c>), e.g. <c>chat</c>.</summary>
    public string? Operation { get; init; }

    public string? ToolName { get; init; }

    public long? InputTokens { get; init; }

    public long? OutputTokens { get; init; }

    public long? CachedInputTokens { get; init; }

    public long? ReasoningTokens { get; init; }

    /// <summary>Input content: plain text as sent, JSON text when it was structured.</summary>
    public string? Input { get; init; }

    /// <summary>Output content: plain text as sent, JSON text when it was structured.</summary>
    public string? Output { get; init; }

    public string? UserId { get; init; }

    public string? SessionId { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public string? TraceName { get; init; }
}
