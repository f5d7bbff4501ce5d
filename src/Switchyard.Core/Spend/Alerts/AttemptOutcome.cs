namespace Switchyard.Spend.Alerts;

/// <summary>How one webhook POST ended: what <see cref="WebhookSender"/>'s retry decides on.</summary>
/// <param name="Status">The receiver's HTTP status; null when none came (timeout, network error, refused target).</param>
internal sealed record AttemptOutcome(bool Delivered, int? Status, string? Error, bool Retryable, TimeSpan? RetryAfter);
