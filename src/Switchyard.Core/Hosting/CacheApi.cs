using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Caching;
using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>
/// <c>GET /api/cache</c>: the caches' size and bounds, in all and per model group. <c>DELETE /api/cache</c>: invalidation, of
/// everything or only the entries of one model group, key or team (<c>?model_group=</c>, <c>?key=</c>,
/// <c>?team=</c>), or one entry (<c>?entry=</c>, the <c>x-switchyard-cache-key</c> of a response); combinable.
/// </summary>
internal static class CacheApi
{
    public static RouteGroupBuilder MapCacheApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cache", (ExactCache cache, Caching.Semantic.SemanticCache semantic) => ApiBody.Ok(
            new CacheStats(
                cache.Store.Count,
                cache.Store.Bytes,
                cache.Store.Evictions,
                cache.Options.MaxEntries,
                cache.Options.MaxBytes,
                cache.Options.Scope.ToString().ToLowerInvariant(),
                semantic.Index.Count,
                Math.Round(semantic.Threshold, 4),
                semantic.IndexQueued,
                semantic.IndexSkipped,
                semantic.Shed,
                [.. cache.Groups.Order(StringComparer.Ordinal).Select(group => new CacheGroupStats(
                    group, cache.EnabledFor(group), semantic.EnabledFor(group), cache.TtlFor(group).TotalSeconds, cache.Store.CountOf(group), cache.Store.BytesOf(group), cache.LimitsOf(group).MaxEntries, cache.LimitsOf(group).MaxBytes))]),
            AdminJson.Default.CacheStats));

        api.MapDelete("/cache", async (HttpContext http, ExactCache cache, KeyRegistry registry) =>
        {
            var query = http.Request.Query;
            foreach (var name in query.Keys)
            {
                if (name is not ("model_group" or "key" or "team" or "entry"))
                {
                    return ApiBody.BadRequest($"{name}: unknown filter (expected model_group, key, team or entry).");
                }
            }

            var entryText = (string?)query["entry"];
            CacheKey entryKey = default;
            if (entryText is not null && !CacheKey.TryParse(entryText, out entryKey))
            {
                return ApiBody.BadRequest("entry: expected the 64 hexadecimal digits of an x-switchyard-cache-key header.");
            }

            string? group = query["model_group"], key = query["key"], team = query["team"];
            foreach (var (name, value) in (ReadOnlySpan<(string, string?)>)[("model_group", group), ("key", key), ("team", team)])
            {
                if (value is { Length: 0 or > 256 })
                {
                    return ApiBody.BadRequest($"{name}: must be 1 to 256 characters.");
                }
            }

            // A key bound to a team clears only its team's entries: the team's space, or a space of one of its keys.
            var reach = Reach.Of(http);
            if (reach.Team is { } own)
            {
                if (team is not null && team != own)
                {
                    return ApiBody.Error(403, $"This key is bound to team '{own}' and can clear only that team's cache entries.", "insufficient_scope");
                }

                var ownKeys = registry.Keys.Where(k => TeamBounds.Sees(reach, k, registry)).Select(k => "key:" + k.Id).ToHashSet(StringComparer.Ordinal);
                ownKeys.Add("team:" + own);
                var scoped = await cache.Store.InvalidateAsync(e =>
                    ownKeys.Contains(e.Space)
                    && (entryText is null || e.Key == entryKey)
                    && (group is null || e.ModelGroup == group)
                    && (key is null || e.Space == "key:" + key)
                    && (team is null || e.Space == "team:" + team));
                return ApiBody.Ok(new CacheRemoved(scoped), AdminJson.Default.CacheRemoved);
            }

            var removed = await cache.Store.InvalidateAsync(e =>
                (entryText is null || e.Key == entryKey)
                && (group is null || e.ModelGroup == group)
                && (key is null || e.Space == "key:" + key)
                && (team is null || e.Space == "team:" + team));
            return ApiBody.Ok(new CacheRemoved(removed), AdminJson.Default.CacheRemoved);
        });

        return api;
    }
}
