namespace Switchyard.Guardrails;

/// <summary>One guard's checks in one time bucket: how many ran, how many fired, how many blocked.</summary>
internal sealed record GuardrailBucket(DateTimeOffset Start, string Guard, string Direction, long Checks, long Fired, long Blocked);
