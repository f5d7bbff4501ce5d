namespace Switchyard.Ingress;

/// <summary>
/// The few fields the gateway reads from a request body, and where they sit in it, so the body can be
/// forwarded with the model swapped without re-serialising the rest.
/// </summary>
internal sealed class ParsedRequest
{
    public static readonly ParsedRequest Empty = new();

    public string? Model { get; init; }

    public bool Stream { get; init; }

    /// <summary>The client's <c>stream_options.include_usage</c>; null when absent.</summary>
    public bool? IncludeUsage { get; init; }

    /// <summary>Byte range of the <c>model</c> value (with its quotes); default when absent.</summary>
    public Range ModelValue { get; init; }

    /// <summary>Byte range of the <c>stream_options</c> value object; default when absent.</summary>
    public Range StreamOptionsValue { get; init; }

    /// <summary>Index of the top-level opening brace.</summary>
    public int ObjectStart { get; init; }

    public int MessageCount { get; init; }

    /// <summary>The OpenAI body field <c>user</c> (or Anthropic <c>metadata.user_id</c>).</summary>
    public string? User { get; init; }

    /// <summary><c>max_tokens</c>, <c>max_completion_tokens</c> or <c>max_output_tokens</c>: the most output the call may produce.</summary>
    public long? MaxOutputTokens { get; init; }

    /// <summary>The field <c>max_tokens</c> itself; null when absent or null. Anthropic's Messages API requires it.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Byte range of the body's <c>metadata</c> object; default when absent or not an object.</summary>
    public Range MetadataValue { get; init; }

    /// <summary>Byte range of the body's <c>context</c> (Switchyard's extension); default when absent.</summary>
    public Range ContextValue { get; init; }

    /// <summary>Byte range of the body's <c>prompt</c> (a prompt reference, or the Responses API's own field); default when absent.</summary>
    public Range PromptValue { get; init; }
}
