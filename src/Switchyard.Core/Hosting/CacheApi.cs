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
        api.MapGet("/cache", (ExactCache cache, Caching.Semantic.SemanticCache semantic) => ApiBody.Json(json =>
        {
            json.WriteStartObject();
            json.WriteNumber("entries", cache.Store.Count);
            json.WriteNumber("memory_bytes", cache.Store.Bytes);
            json.WriteNumber("evictions", cache.Store.Evictions);
            json.WriteNumber("max_entries", cache.Options.MaxEntries);
            json.WriteNumber("max_memory_bytes", cache.Options.MaxBytes);
            json.WriteString("scope", cache.Options.Scope.ToString().ToLowerInvariant());
            json.WriteNumber("semantic_entries", semantic.Index.Count);
            json.WriteNumber("similarity_threshold", Math.Round(semantic.Threshold, 4));
            json.WriteStartArray("groups");
            foreach (var group in cache.Groups.Order(StringComparer.Ordinal))
            {
                var (maxEntries, maxBytes) = cache.LimitsOf(group);
                json.WriteStartObject();
                json.WriteString("model_group", group);
                json.WriteBoolean("exact", cache.EnabledFor(group));
                json.WriteBoolean("semantic", semantic.EnabledFor(group));
                json.WriteNumber("ttl_seconds", cache.TtlFor(group).TotalSeconds);
                json.WriteNumber("entries", cache.Store.CountOf(group));
                json.WriteNumber("memory_bytes", cache.Store.BytesOf(group));
                json.WriteNumber("max_entries", maxEntries);
                json.WriteNumber("max_memory_bytes", maxBytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }));

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
                return ApiBody.Json(json =>
                {
                    json.WriteStartObject();
                    json.WriteNumber("removed", scoped);
                    json.WriteEndObject();
                });
            }

            var removed = await cache.Store.InvalidateAsync(e =>
                (entryText is null || e.Key == entryKey)
                && (group is null || e.ModelGroup == group)
                && (key is null || e.Space == "key:" + key)
                && (team is null || e.Space == "team:" + team));
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteNumber("removed", removed);
                json.WriteEndObject();
            });
        });

        return api;
    }
}
