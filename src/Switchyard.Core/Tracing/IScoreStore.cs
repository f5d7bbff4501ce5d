namespace Switchyard.Tracing;

/// <summary>Where scores and feedback are kept. Validation and the trace-ownership check happen before (<see cref="ScoreIntake"/>).</summary>
internal interface IScoreStore
{
    /// <summary>Stores a validated score as written by <paramref name="writer"/> at <paramref name="createdAt"/>; returns its id, unique in the store.</summary>
    Task<long> AddAsync(NewScore score, TraceWriter writer, DateTimeOffset createdAt, CancellationToken cancellationToken);
}
