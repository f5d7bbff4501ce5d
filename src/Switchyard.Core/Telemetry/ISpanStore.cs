namespace Switchyard.Telemetry;

/// <summary>Where ingested OpenTelemetry spans are written; any number of writers may share a store.</summary>
internal interface ISpanStore
{
    /// <summary>Stores the spans all together or not at all.</summary>
    Task WriteAsync(IReadOnlyList<PreparedSpan> spans, CancellationToken cancellationToken);
}
