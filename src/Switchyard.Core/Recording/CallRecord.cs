using Switchyard.Accounting;
using Switchyard.Gateway;

namespace Switchyard.Recording;

/// <summary>The facts of one finished gateway call, detached from the request so it can wait in a queue.</summary>
internal sealed record CallRecord(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    DateTimeOffset StartTime,
    ClientApi Api,
    string? ModelGroup,
    string? Deployment,
    string? Provider,
    string? UpstreamModel,
    string? SystemFingerprint,
    int Status,
    string? ErrorType,
    string? ErrorMessage,
    bool Stream,
    TokenUsage Usage,
    bool UsageReported,
    string? FinishReason,
    TimeSpan Latency,
    TimeSpan? TimeToFirstToken,
    string? KeyId,
    string? User,
    IReadOnlyList<Attempt> Attempts)
{
    public string? Team { get; init; }

    public string? Session { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? MetadataJson { get; init; }

    /// <summary>The client's request body (UTF-8, at most the capture limit plus one byte), when captured.</summary>
    public byte[]? RequestContent { get; init; }

    /// <summary>The client's response body (plain calls), when captured.</summary>
    public byte[]? ResponseContent { get; init; }

    /// <summary>Length-prefixed upstream stream events (see <see cref="Tracing.StreamAssembler"/>), when captured.</summary>
    public byte[]? ResponseStream { get; init; }

    public Providers.WireFormat ResponseStreamFormat { get; init; }

    /// <summary>The stream's text as the output guards rewrote it; replaces the assembled upstream text when set.</summary>
    public string? ResponseStreamText { get; init; }

    /// <summary>Cost in nano-USD; null when the model has no price.</summary>
    public long? CostNanoUsd { get; set; }

    /// <summary>hit, miss or bypass; null when the call never reached the cache.</summary>
    public string? Cache { get; init; }

    /// <summary>For a cache hit, the upstream cost it avoided.</summary>
    public long? CostSavedNanoUsd { get; init; }

    /// <summary>For a semantic cache hit, how similar the request was to the cached one.</summary>
    public double? CacheSimilarity { get; init; }

    /// <summary>Why a miss did not look everywhere it could (<c>semantic_shed</c>); null otherwise.</summary>
    public string? CacheReason { get; init; }

    /// <summary>The guardrails' verdicts; complete by the time the record is queued.</summary>
    public Guardrails.GuardrailReport? Guardrails { get; init; }

    /// <summary>The prompt version the call rendered; null when it named none.</summary>
    public Prompts.Serving.PromptUse? Prompt { get; init; }

    /// <summary>How the upstream's model or system_fingerprint changed against the last call of the same deployment and model.</summary>
    public string? ModelChange { get; init; }

    public static CallRecord From(CallContext call, int maxContentBytes)
    {
        var end = call.EndTimestamp;
        return new CallRecord(
            call.Trace.TraceIdHex,
            call.Trace.SpanIdHex,
            call.Trace.ParentSpanId == default ? null : call.Trace.ParentSpanId.ToHexString(),
            call.StartTime,
            call.Api,
            call.Group?.Name ?? call.Request.Model,
            call.Deployment?.Name,
            call.Deployment?.Provider,
            call.UpstreamModel ?? call.Deployment?.Model,
            call.SystemFingerprint,
            call.Status,
            call.ErrorType,
            call.ErrorMessage,
            call.Request.Stream,
            call.Usage,
            call.UsageReported,
            call.FinishReason,
            call.Elapsed(end),
            call.FirstTokenTimestamp == 0 ? null : call.Elapsed(call.FirstTokenTimestamp),
            call.Caller.KeyId,
            call.User,
            call.Attempts.ToArray())
        {
            Team = call.Caller.TeamId,
            CostNanoUsd = call.CostNanoUsd,
            Cache = call.Cache?.Outcome,
            CostSavedNanoUsd = call.Cache?.SavedNanoUsd,
            CacheSimilarity = call.Cache?.Similarity,
            CacheReason = call.Cache?.Reason,
            Guardrails = call.Guardrails,
            Prompt = call.Prompt,
            ModelChange = call.ModelChange,
            Session = call.Session,
            Tags = call.Tags,
            MetadataJson = call.MetadataJson,
            RequestContent = call.Capture is not null ? call.Body.Span[..Math.Min(call.Body.Length, maxContentBytes + 1)].ToArray() : null,
            ResponseContent = call.Capture?.Response,
            ResponseStream = call.Capture?.Stream?.ToArray(),
            ResponseStreamFormat = call.Capture?.StreamFormat ?? default,
            ResponseStreamText = call.Capture?.CheckedStreamText,
        };
    }
}
