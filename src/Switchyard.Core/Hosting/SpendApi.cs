using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Identity;
using Switchyard.Spend;

namespace Switchyard.Hosting;

/// <summary><c>GET /api/spend</c>: cost, tokens and requests from the spend ledger, grouped by key, user, team, model and day.</summary>
internal static class SpendApi
{
    public static RouteGroupBuilder MapSpendApi(this RouteGroupBuilder api)
    {
        api.MapGet("/spend", async (HttpContext http, ISpendStore store) =>
        {
            var query = http.Request.Query;
            var groupBy = new List<string>();
            foreach (var part in query["group_by"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!SpendQuery.Dimensions.ContainsKey(part))
                {
                    return ApiBody.BadRequest($"group_by: '{part}' is not one of {string.Join(", ", SpendQuery.Dimensions.Keys)}.");
                }

                if (!groupBy.Contains(part))
                {
                    groupBy.Add(part);
                }
            }

            DateOnly? from = null, to = null;
            foreach (var (name, set) in new (string, Action<DateOnly>)[] { ("from", d => from = d), ("to", d => to = d) })
            {
                if (query[name].ToString() is { Length: > 0 } text)
                {
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                    {
                        return ApiBody.BadRequest($"{name}: '{text}' is not a day in the form 2026-11-27 (days are in limits.budget_time_zone).");
                    }

                    set(day);
                }
            }

            if (from > to)
            {
                return ApiBody.BadRequest("from: must not be after to.");
            }

            string? Filter(string name) => query[name].ToString() is { Length: > 0 } value ? value : null;
            var spendQuery = new SpendQuery(groupBy, from, to, Filter("key"), Filter("user"), Filter("team"), Filter("model")).Within(Reach.Of(http));
            return ApiBody.Json((await store.ReportAsync(spendQuery, http.RequestAborted)).Write);
        });
        return api;
    }
}
