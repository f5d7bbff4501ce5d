namespace Switchyard.Storage;

/// <summary>Whether the store answers, for <c>/health/ready</c>.</summary>
internal interface IStorageHealth
{
    /// <summary>What <c>/health/ready</c> names the store: <c>sqlite</c>, later <c>postgres</c>.</summary>
    string Kind { get; }

    /// <summary>Null when the store answers a trivial query, else why not.</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}
