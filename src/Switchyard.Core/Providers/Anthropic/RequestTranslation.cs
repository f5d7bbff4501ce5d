namespace Switchyard.Providers.Anthropic;

/// <summary>A request body translated to another wire format, or the reason it could not be (for a 400).</summary>
internal sealed class RequestTranslation
{
    private RequestTranslation(byte[]? body, string? error, bool stream, bool includeUsage)
    {
        Body = body;
        Error = error;
        Stream = stream;
        IncludeUsage = includeUsage;
    }

    /// <summary>The translated body; null when <see cref="Error"/> is set.</summary>
    public byte[]? Body { get; }

    /// <summary>Why the body could not be translated, phrased for the client.</summary>
    public string? Error { get; }

    public bool IsSuccess => Error is null;

    /// <summary>Whether the client asked for a stream.</summary>
    public bool Stream { get; }

    /// <summary>
    /// Whether the streamed answer must end with a usage chunk: the client's
    /// <c>stream_options.include_usage</c> for OpenAI clients; always true for the OpenAI request built
    /// from an Anthropic stream, because Anthropic clients always get usage.
    /// </summary>
    public bool IncludeUsage { get; }

    public static RequestTranslation Succeeded(byte[] body, bool stream, bool includeUsage) => new(body, null, stream, includeUsage);

    public static RequestTranslation Failed(string error) => new(null, error, false, false);
}
