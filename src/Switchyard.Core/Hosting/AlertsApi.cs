using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Configuration;
using Switchyard.Spend.Alerts;

namespace Switchyard.Hosting;

/// <summary><c>/api/alerts</c> (the alert log) and <c>/api/alerts/test</c> (one test message to every webhook).</summary>
internal static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", (HttpContext http, AlertStore store) =>
        {
            if (!AlertQuery.TryParse(http.Request.Query, out var query, out var error))
            {
                return ApiBody.BadRequest(error!);
            }

            var items = store.List(query).Select(ToItem).ToList();
            return Results.Json(new AlertList(items), AlertsJson.Default.AlertList);
        });

        api.MapPost("/alerts/test", async (HttpContext http, AlertOptions options, WebhookSender sender, TimeProvider time) =>
        {
            // One attempt each, in parallel, so the answer comes within one timeout and shows exactly
            // what each receiver said.
            var now = time.GetUtcNow();
            var results = await Task.WhenAll(options.Webhooks.Select(async (webhook, index) =>
            {
                var result = await sender.SendAsync(webhook, WebhookBody.Test(webhook.Format, now), maxAttempts: 1, http.RequestAborted).ConfigureAwait(false);
                return new WebhookTestResult(index, result.Target, webhook.Format == WebhookFormat.Slack ? "slack" : "json", result.Delivered, result.Status, result.Error);
            })).ConfigureAwait(false);
            return Results.Json(new WebhookTestResults(results), AlertsJson.Default.WebhookTestResults);
        });
        return api;
    }

    private static AlertItem ToItem(StoredAlert stored)
    {
        var a = stored.Alert;
        return new AlertItem(
            a.Id,
            WebhookBody.Subject(a),
            a.Threshold,
            WebhookBody.Usd(a.BudgetNanoUsd),
            WebhookBody.Usd(a.SpentNanoUsd),
            WebhookBody.Window(a.Window),
            Spend.Alerts.AlertNames.Of(a.Mode),
            a.FiredAt.UtcDateTime,
            new AlertDelivery(stored.Status, stored.Attempts, stored.LastError, stored.DeliveredAt?.UtcDateTime));
    }
}
