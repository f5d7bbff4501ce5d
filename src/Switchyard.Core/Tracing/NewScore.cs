namespace Switchyard.Tracing;

/// <summary>
/// A validated score: numeric and boolean ones carry <see cref="Value"/> (booleans as 0 or 1), categorical
/// ones <see cref="StringValue"/>.
/// </summary>
internal sealed record NewScore(string TraceId, string? SpanId, string Name, string DataType, double? Value, string? StringValue, string Source, string? Comment, string? User);
