namespace Switchyard.Providers.Sandbox;

/// <summary>One generated choice: text content, or a single tool call whose arguments are <see cref="Text"/>.</summary>
internal sealed class SandboxChoice
{
    public required int Index { get; init; }

    public required string Text { get; init; }

    /// <summary>How a stream sends <see cref="Text"/>: words for prose, fragments for JSON.</summary>
    public required IReadOnlyList<string> Pieces { get; init; }

    public required string FinishReason { get; init; }

    public required int CompletionTokens { get; init; }

    public string? ToolCallId { get; init; }

    public string? ToolName { get; init; }

    public bool IsToolCall => ToolName is not null;
}
