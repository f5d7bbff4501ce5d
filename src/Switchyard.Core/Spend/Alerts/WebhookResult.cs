namespace Switchyard.Spend.Alerts;

/// <summary>How one delivery to one webhook went, after its retries.</summary>
/// <param name="Target">Scheme and host only (a Slack URL's path is a secret).</param>
/// <param name="Status">The last HTTP status received, if any.</param>
/// <param name="Error">What went wrong on the last attempt; null when delivered.</param>
internal sealed record WebhookResult(string Target, bool Delivered, int? Status, int Attempts, string? Error);
