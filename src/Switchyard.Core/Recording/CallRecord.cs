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
    public static CallRecord From(CallContext call)
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
            call.Caller.User ?? call.Request.User,
            call.Attempts.ToArray());
    }
}
