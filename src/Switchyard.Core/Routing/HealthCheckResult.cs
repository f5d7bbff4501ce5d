namespace Switchyard.Routing;

/// <summary>One active health check's outcome.</summary>
internal sealed record HealthCheckResult(DateTimeOffset At, string? Error);
