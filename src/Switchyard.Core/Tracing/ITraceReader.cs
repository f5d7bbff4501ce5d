using System.Text.Json;

namespace Switchyard.Tracing;

/// <summary>
/// Reads traces: filtered, cursor-paginated lists of gateway calls, one trace with every span and
/// score, and the feedback on a page of traces. Answers are written as the API's JSON, straight from
/// the rows, so a page is never held twice and every implementation sends the same bytes.
/// </summary>
internal interface ITraceReader
{
    /// <summary>
    /// Writes <c>{"data":[...],"next_cursor":...}</c> to <paramref name="json"/>; with <paramref name="jsonLines"/>,
    /// one call per line there and no envelope. With <paramref name="includeContent"/>, each call carries its request and response.
    /// </summary>
    Task ListAsync(TraceFilter filter, Utf8JsonWriter? json, Stream? jsonLines, bool includeContent, CancellationToken cancellationToken);

    /// <summary>
    /// Writes one trace with its spans as a tree and its scores; false (and nothing written) when nothing has
    /// that trace id, or nothing of it is in <paramref name="reach"/>. A key bound to a team sees the trace when
    /// it holds a call or span of that team, and then only that team's calls and the spans and scores of that team or of none.
    /// </summary>
    Task<bool> GetAsync(string traceId, Utf8JsonWriter json, Identity.Reach reach, CancellationToken cancellationToken);

    /// <summary>The feedback on each of <paramref name="traceIds"/> that <paramref name="reach"/> may see: how many, and how many positive.</summary>
    Task<Dictionary<string, (int Count, int Positive)>> FeedbackOnAsync(IReadOnlyCollection<string> traceIds, Identity.Reach reach, CancellationToken cancellationToken);
}
