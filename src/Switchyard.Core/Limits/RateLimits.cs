namespace Switchyard.Limits;

/// <summary>Rate limits on one subject (a key, user, team, model group or the whole gateway). Null means unlimited.</summary>
internal sealed record RateLimits(long? RequestsPerMinute, long? TokensPerMinute, int? MaxConcurrent)
{
    public static readonly RateLimits None = new(null, null, null);

    public bool IsEmpty => RequestsPerMinute is null && TokensPerMinute is null && MaxConcurrent is null;
}
