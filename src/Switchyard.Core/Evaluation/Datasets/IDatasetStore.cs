namespace Switchyard.Evaluation.Datasets;

/// <summary>
/// Evaluation datasets as immutable versions. A new version holds exactly the items given, or the newest
/// version's items followed by them (growing a dataset from production); either way the versions before
/// it never change, so a run that names a version can always be repeated on the same items.
/// </summary>
internal interface IDatasetStore
{
    /// <summary>
    /// Stores the next version of the dataset: <paramref name="items"/> alone, or after the newest version's
    /// items when <paramref name="append"/>. Items whose id is already in the version are not added twice.
    /// </summary>
    Task<DatasetVersion> AddVersionAsync(string name, IReadOnlyList<DatasetItem> items, bool append, string author, string? message, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>A version, or the newest when <paramref name="version"/> is null; null when there is none.</summary>
    Task<DatasetVersion?> GetVersionAsync(string name, int? version, CancellationToken cancellationToken);

    /// <summary>Every dataset's newest version, by name.</summary>
    Task<IReadOnlyList<DatasetVersion>> ListAsync(CancellationToken cancellationToken);

    /// <summary>A version's items in their order, from <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<DatasetItem>> ItemsAsync(string name, int version, int offset, int limit, CancellationToken cancellationToken);
}
