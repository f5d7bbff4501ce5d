namespace Switchyard.Guardrails;

/// <summary>A call a guard blocked: its trace, when, which guard, and whose call it was.</summary>
internal sealed record BlockedCall(string TraceId, DateTimeOffset Time, string Guard, string Direction, string? ModelGroup, string? Key, string? User);
