namespace Switchyard.Spend.Alerts;

/// <summary>
/// A webhook host resolved only to addresses the <see cref="WebhookUrlPolicy"/> refuses. Raised at
/// connect time, so the request is never sent; delivery does not retry it.
/// </summary>
internal sealed class WebhookTargetRefusedException : IOException
{
    public WebhookTargetRefusedException(string message)
        : base(message)
    {
    }

    public WebhookTargetRefusedException()
    {
    }

    public WebhookTargetRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
