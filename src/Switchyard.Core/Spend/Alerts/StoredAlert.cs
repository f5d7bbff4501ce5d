namespace Switchyard.Spend.Alerts;

/// <summary>A fired alert as the alert log holds it, with how its delivery went.</summary>
/// <param name="Status">One of <see cref="AlertNames.Pending"/>, <see cref="AlertNames.Delivered"/>, <see cref="AlertNames.Failed"/>, <see cref="AlertNames.NoWebhooks"/>.</param>
/// <param name="LastError">Per failed webhook, its scheme and host and what went wrong; never a full URL.</param>
internal sealed record StoredAlert(FiredAlert Alert, string Status, int Attempts, string? LastError, DateTimeOffset? DeliveredAt);
