namespace Switchyard.Accounting.Pricing;

/// <summary>
/// The list price of one model in USD per million tokens, with where and when it was taken so a
/// reported cost can always be traced back to a vendor page.
/// </summary>
/// <remarks>
/// <see cref="CachedInputPerMillion"/> and <see cref="CacheWritePerMillion"/> are always filled (the file
/// defaults them to the input price); <see cref="ReasoningPerMillion"/> stays null when the vendor bills
/// reasoning as ordinary output, so the cost calculator can say so explicitly.
/// </remarks>
internal sealed record PriceEntry(
    string Model,
    string? Provider,
    decimal InputPerMillion,
    decimal CachedInputPerMillion,
    decimal CacheWritePerMillion,
    decimal OutputPerMillion,
    decimal? ReasoningPerMillion,
    string Source,
    string Date)
{
    /// <summary>Other names the vendor accepts for the same model (dated snapshots, <c>-latest</c> pointers, regional spellings).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];
}
