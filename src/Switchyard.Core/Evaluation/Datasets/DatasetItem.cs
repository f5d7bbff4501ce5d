namespace Switchyard.Evaluation.Datasets;

/// <summary>
/// One example of a dataset. JSON members are kept as their raw text: <see cref="InputJson"/> is an object
/// with <c>messages</c> (a chat) or <c>variables</c> (for a prompt); the rest are optional.
/// </summary>
internal sealed record DatasetItem
{
    /// <summary>Stable across versions: an item carried into a new version keeps its id, so runs can be compared item by item.</summary>
    public required string Id { get; init; }

    public required string InputJson { get; init; }

    /// <summary>The expected output or a reference answer (any JSON value); null when there is none.</summary>
    public string? ExpectedJson { get; init; }

    /// <summary>Documents a RAG answer should be grounded in (a JSON array of strings); null when there are none.</summary>
    public string? ContextJson { get; init; }

    /// <summary>A JSON object; null when there is none.</summary>
    public string? MetadataJson { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The production trace the item was taken from; null for imported items.</summary>
    public string? SourceTraceId { get; init; }
}
