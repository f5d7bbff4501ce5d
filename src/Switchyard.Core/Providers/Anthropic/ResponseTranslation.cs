using Switchyard.Accounting;

namespace Switchyard.Providers.Anthropic;

/// <summary>A non-streamed response translated to another wire format, with the usage it reported.</summary>
internal sealed class ResponseTranslation
{
    private ResponseTranslation(byte[]? body, string? error, TokenUsage usage, string? finishReason)
    {
        Body = body;
        Error = error;
        Usage = usage;
        FinishReason = finishReason;
    }

    /// <summary>The translated body; null when <see cref="Error"/> is set.</summary>
    public byte[]? Body { get; }

    /// <summary>Why the upstream body could not be translated.</summary>
    public string? Error { get; }

    public bool IsSuccess => Error is null;

    public TokenUsage Usage { get; }

    /// <summary>Why generation stopped, in the vocabulary of the translated (client-facing) format.</summary>
    public string? FinishReason { get; }

    public static ResponseTranslation Succeeded(byte[] body, TokenUsage usage, string finishReason) => new(body, null, usage, finishReason);

    public static ResponseTranslation Failed(string error) => new(null, error, default, null);
}
