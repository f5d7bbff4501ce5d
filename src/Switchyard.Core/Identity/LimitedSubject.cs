using Switchyard.Limits;

namespace Switchyard.Identity;

/// <summary>What keys, users and teams have in common: their own limits and budget.</summary>
internal abstract record LimitedSubject
{
    public required string Id { get; init; }

    public RateLimits Limits { get; init; } = RateLimits.None;

    public Budget? Budget { get; init; }

    /// <summary>A JSON object the operator attached; returned as given.</summary>
    public string? MetadataJson { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public abstract SubjectKind Kind { get; }

    /// <summary>The subject's name in the limit store ("key:…", "team:…"), built once.</summary>
    public string StateKey => field ??= $"{Kind.ToString().ToLowerInvariant()}:{Id}";
}
