namespace Switchyard.Recording;

/// <summary>One writer's connection to an <see cref="ICallRecordStore"/>. Not thread-safe: one writer thread owns it.</summary>
internal interface ICallRecordSession : IAsyncDisposable
{
    /// <summary>
    /// Stores the calls, their tags and their share of the rollups (<see cref="Tracing.IRollupStore"/>)
    /// all together or not at all, so retrying a failed batch neither loses nor doubles anything.
    /// </summary>
    ValueTask WriteAsync(IReadOnlyList<PreparedCall> batch, CancellationToken cancellationToken);
}
