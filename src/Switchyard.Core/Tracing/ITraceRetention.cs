namespace Switchyard.Tracing;

/// <summary>Deletes what has outlived the retention window: calls and their tags, spans, scores, rollups.</summary>
internal interface ITraceRetention
{
    /// <summary>
    /// Deletes every call, tag, span and rollup that started, and every score created, before <paramref name="cut"/>;
    /// returns the rows deleted. Implementations delete in small chunks so writers never wait long.
    /// </summary>
    Task<long> DeleteBeforeAsync(DateTimeOffset cut, CancellationToken cancellationToken);
}
