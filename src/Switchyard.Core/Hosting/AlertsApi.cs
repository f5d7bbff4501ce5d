using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Configuration;
using Switchyard.Identity;
using Switchyard.Spend.Alerts;

namespace Switchyard.Hosting;

/// <summary><c>/api/alerts</c> (the alert log) and <c>/api/alerts/test</c> (one test message to every webhook).</summary>
internal static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/alerts", async (HttpContext http, IAlertStore store, KeyRegistry registry) =>
        {
            if (!AlertQuery.TryParse(http.Request.Query, out var query, out var error))
            {
                return ApiBody.BadRequest(error!);
            }

            var reach = Reach.Of(http);
            var items = (await store.ListAsync(query, http.RequestAborted)).Where(a => Sees(reach, a.Alert, registry)).Select(ToItem).ToList();
            return Results.Json(new AlertList(items), AlertsJson.Default.AlertList);
        });

        api.MapPost("/alerts/test", async (HttpContext http, AlertOptions options, WebhookSender sender, TimeProvider time) =>
        {
            if (Reach.Of(http).Team is { } team)
            {
                return ApiBody.Error(403, $"This key is bound to team '{team}': the webhooks serve every team, so only a key of no team may test them.", "insufficient_scope");
            }

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

    /// <summary>A key bound to a team sees the alerts of its team, its users and its keys.</summary>
    private static bool Sees(Reach reach, FiredAlert alert, KeyRegistry registry) => reach.ReadsEverything || alert.Kind switch
    {
        Limits.SubjectKind.Team => alert.SubjectId == reach.Team,
        Limits.SubjectKind.User => registry.FindUser(alert.SubjectId) is { } user && TeamBounds.Sees(reach, user),
        Limits.SubjectKind.Key => registry.FindKey(alert.SubjectId) is { } key && TeamBounds.Sees(reach, key, registry),
        _ => false,
    };

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
