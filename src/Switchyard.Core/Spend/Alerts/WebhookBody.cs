using System.Globalization;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Limits;

namespace Switchyard.Spend.Alerts;

/// <summary>Writes the body a webhook receives, in its format.</summary>
internal static class WebhookBody
{
    private const decimal NanoPerUsd = 1_000_000_000m;

    public static byte[] For(FiredAlert alert, WebhookFormat format) => format == WebhookFormat.Slack
        ? JsonSerializer.SerializeToUtf8Bytes(new SlackMessage(SlackEscape(Text(alert))), WebhookJson.Default.SlackMessage)
        : JsonSerializer.SerializeToUtf8Bytes(Event(alert), WebhookJson.Default.ThresholdCrossedEvent);

    public static byte[] Test(WebhookFormat format, DateTimeOffset now)
    {
        const string Message = "Switchyard test message: this webhook will receive spend alerts.";
        return format == WebhookFormat.Slack
            ? JsonSerializer.SerializeToUtf8Bytes(new SlackMessage(Message), WebhookJson.Default.SlackMessage)
            : JsonSerializer.SerializeToUtf8Bytes(new TestEvent(AlertNames.TestEvent, Message, now.UtcDateTime), WebhookJson.Default.TestEvent);
    }

    public static ThresholdCrossedEvent Event(FiredAlert alert) => new(
        AlertNames.ThresholdCrossedEvent,
        alert.Id,
        Subject(alert),
        alert.Threshold,
        Usd(alert.BudgetNanoUsd),
        Usd(alert.SpentNanoUsd),
        Window(alert.Window),
        AlertNames.Of(alert.Mode),
        alert.FiredAt.UtcDateTime,
        Text(alert));

    public static AlertSubject Subject(FiredAlert alert) => new(AlertNames.Of(alert.Kind), alert.SubjectId);

    public static AlertWindow Window(BudgetWindow window) => new(AlertNames.Of(window.Kind), window.Start.UtcDateTime, window.End?.UtcDateTime);

    /// <summary>Exact decimal USD, as <c>cost_usd</c> is written elsewhere in the API.</summary>
    public static string Usd(long nanoUsd) => (nanoUsd / NanoPerUsd).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// One readable line: "Switchyard: key 'k1' has spent $8.00 of its $10.00 monthly budget (80% threshold;
    /// soft budget; window from 2025-03-01 00:00 UTC to 2025-04-01 00:00 UTC)."
    /// </summary>
    public static string Text(FiredAlert alert)
    {
        var who = alert.Kind == SubjectKind.Global ? "the gateway" : $"{AlertNames.Of(alert.Kind).Replace('_', ' ')} '{alert.SubjectId}'";
        var budget = alert.Window.Kind == BudgetWindowKind.Total ? "total budget" : $"{AlertNames.Of(alert.Window.Kind)} budget";
        var window = alert.Window.Kind == BudgetWindowKind.Total
            ? ""
            : $"; window from {alert.Window.Start.UtcDateTime:yyyy-MM-dd HH:mm} UTC to {alert.Window.End?.UtcDateTime:yyyy-MM-dd HH:mm} UTC";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"Switchyard: {who} has spent {Dollars(alert.SpentNanoUsd)} of its {Dollars(alert.BudgetNanoUsd)} {budget} ({alert.Threshold * 100:0.##}% threshold; {AlertNames.Of(alert.Mode)} budget{window}).");
    }

    private static string Dollars(long nanoUsd) => "$" + (nanoUsd / NanoPerUsd).ToString("#,0.00##", CultureInfo.InvariantCulture);

    /// <summary>Slack reads &amp;, &lt; and &gt; as markup (links, mentions); a subject id must stay plain text.</summary>
    private static string SlackEscape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
