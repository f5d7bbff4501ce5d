using System.Buffers;
using Switchyard.Accounting;

namespace Switchyard.Streaming;

/// <summary>
/// Relays an upstream stream in its own format byte for byte, reading usage, finish reason and the
/// first-token moment on the side. For OpenAI chat it drops the usage-only chunk the gateway asked for
/// when the client did not.
/// </summary>
internal sealed class PassthroughTap(PassthroughTap.Format format, bool clientWantsUsage) : IStreamTransformer
{
    private TokenUsage _usage;

    internal enum Format
    {
        OpenAIChat,
        OpenAIResponses,
        Anthropic,
    }

    public bool SawContent { get; private set; }

    public bool Completed { get; private set; }

    public TokenUsage Usage => _usage;

    public bool UsageReported { get; private set; }

    public string? FinishReason { get; private set; }

    public string? Model { get; private set; }

    public string? SystemFingerprint { get; private set; }

    /// <summary>Events that carried content: roughly one token each, the estimate when no usage is reported.</summary>
    public long ContentEvents { get; private set; }

    public void OnEvent(in SseEvent sseEvent, IBufferWriter<byte> output)
    {
        var data = sseEvent.Data;
        if (data.IsEmpty)
        {
            output.Write(sseEvent.Raw);
            return;
        }

        if (sseEvent.IsDone)
        {
            Completed = true;
            output.Write(sseEvent.Raw);
            return;
        }

        // Once the first token was seen, most events are plain content deltas with nothing to account
        // for: a vectorised byte search decides whether an event needs parsing at all.
        if (SawContent && IsPlainDelta(sseEvent))
        {
            ContentEvents++;
            output.Write(sseEvent.Raw);
            return;
        }

        // Model and fingerprint are the same on every chunk: read them until known, then skip the strings.
        var summary = ResponseSummaryReader.Read(data, format == Format.Anthropic, readIdentity: Model is null);
        SawContent |= summary.HasContent;
        if (summary.HasContent)
        {
            ContentEvents++;
        }

        Model ??= summary.Model;
        SystemFingerprint ??= summary.SystemFingerprint;
        if (summary.FinishReason is not null)
        {
            FinishReason = summary.FinishReason;
        }

        if (summary.Usage is { } usage)
        {
            _usage = UsageReported && format == Format.Anthropic ? Max(_usage, usage) : usage;
            UsageReported = true;
        }

        if (format == Format.Anthropic && sseEvent.Name.SequenceEqual("message_stop"u8)
            || format == Format.OpenAIResponses && (sseEvent.Name.SequenceEqual("response.completed"u8) || sseEvent.Name.SequenceEqual("response.incomplete"u8) || sseEvent.Name.SequenceEqual("response.failed"u8)))
        {
            Completed = true;
        }

        if (format == Format.OpenAIChat && !clientWantsUsage && summary.ChoiceCount == 0 && summary.Usage is not null)
        {
            return; // The usage chunk the gateway asked for on the client's behalf.
        }

        output.Write(sseEvent.Raw);
    }

    public void OnEnd(IBufferWriter<byte> output)
    {
        // Some OpenAI-compatible servers end a finished stream without [DONE].
        if (format == Format.OpenAIChat && FinishReason is not null)
        {
            Completed = true;
        }
    }

    public void OnError(string message, IBufferWriter<byte> output)
    {
        if (format == Format.Anthropic)
        {
            StreamErrors.WriteAnthropic(output, "api_error", message);
        }
        else
        {
            StreamErrors.WriteOpenAI(output, message);
        }
    }

    /// <summary>
    /// True for an event that can only carry content: no usage, finish or stop reason, error or
    /// terminal event type. Conservative: anything that might matter is parsed.
    /// </summary>
    private bool IsPlainDelta(in SseEvent sseEvent)
    {
        var data = sseEvent.Data;
        return format switch
        {
            Format.Anthropic => sseEvent.Name.SequenceEqual("content_block_delta"u8) && data.IndexOf("\"error\""u8) < 0,
            Format.OpenAIResponses => sseEvent.Name.EndsWith(".delta"u8),
            _ => IsNullOrAbsent(data, "\"usage\""u8) && IsNullOrAbsent(data, "\"finish_reason\""u8) && data.IndexOf("\"error\""u8) < 0,
        };
    }

    /// <summary>True when the property does not occur, or every occurrence has the value <c>null</c>.</summary>
    private static bool IsNullOrAbsent(ReadOnlySpan<byte> data, ReadOnlySpan<byte> quotedName)
    {
        while (true)
        {
            var at = data.IndexOf(quotedName);
            if (at < 0)
            {
                return true;
            }

            var rest = data[(at + quotedName.Length)..].TrimStart(" \t\r\n"u8);
            if (rest.IsEmpty || rest[0] != (byte)':')
            {
                data = rest;
                continue; // the name appeared as a value, not as a property
            }

            rest = rest[1..].TrimStart(" \t\r\n"u8);
            if (!rest.StartsWith("null"u8))
            {
                return false;
            }

            data = rest;
        }
    }

    private static TokenUsage Max(TokenUsage a, TokenUsage b) => new(
        Math.Max(a.InputTokens, b.InputTokens),
        Math.Max(a.OutputTokens, b.OutputTokens),
        Math.Max(a.CachedInputTokens, b.CachedInputTokens),
        Math.Max(a.CacheWriteTokens, b.CacheWriteTokens),
        Math.Max(a.ReasoningTokens, b.ReasoningTokens));
}
