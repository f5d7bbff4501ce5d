namespace Switchyard.Evaluation.Datasets;

/// <summary>An immutable, numbered snapshot of a dataset's items (from 1): a run names the version it used.</summary>
internal sealed record DatasetVersion(string Name, int Version, int ItemCount, DateTimeOffset CreatedAt, string Author, string? Message);
