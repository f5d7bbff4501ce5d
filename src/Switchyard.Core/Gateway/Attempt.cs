namespace Switchyard.Gateway;

/// <summary>One try of one deployment within a call.</summary>
internal sealed record Attempt(string Deployment, int Status, TimeSpan Latency, string? Error);
