namespace Switchyard.Limits;

/// <summary>The rate limit a response reports in <c>x-ratelimit-*</c>: the tightest one that applied.</summary>
internal readonly record struct RateLimitStatus(long Limit, long Remaining, TimeSpan Reset);
