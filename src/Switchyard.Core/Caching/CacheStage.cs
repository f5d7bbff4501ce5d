using System.Globalization;
using System.Text.Json.Nodes;
using Switchyard.Accounting;
using Switchyard.Gateway;

namespace Switchyard.Caching;

/// <summary>
/// The caches on the request path, after admission and before routing. The exact cache first: a hit is
/// answered here (as a stream when the client asked for one) at zero upstream cost, and concurrent
/// identical misses wait for the first one's answer. Then, for groups that use it, the semantic cache:
/// the nearest cached request of the same scope whose last user turn means the same. A miss goes on
/// and, when cacheable, its answer is stored for both.
/// </summary>
/// <remarks>
/// Callers steer it with <c>x-switchyard-cache: no-cache</c> (skip the lookup, store the answer),
/// <c>no-store</c> (look up, store nothing) or <c>off</c>, and <c>x-switchyard-cache-ttl</c> (seconds).
/// Every answer says what happened in <c>x-switchyard-cache</c>: <c>hit</c>, <c>semantic</c> (with
/// <c>x-switchyard-cache-similarity</c>), <c>miss</c> or <c>bypass</c>; <c>x-switchyard-cache-key</c> names
/// the entry stored or served, for <c>DELETE /api/cache?entry=</c>. A miss whose semantic lookup was shed
/// under load carries <c>semantic_shed</c> as its reason on the trace.
/// </remarks>
internal sealed partial class CacheStage(ExactCache cache, Semantic.SemanticCache semantic, CallCost cost, Microsoft.Extensions.Logging.ILogger<CacheStage> logger) : CallStage
{
    private const double MaxTtlSeconds = 30 * 86_400;

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var group = call.Group!;
        if (!ReadControls(call, out var lookup, out var store, out var ttl, out var error))
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", error!).ConfigureAwait(false);
            return;
        }

        var exact = cache.EnabledFor(group.Name);
        var meaning = semantic.EnabledFor(group.Name);
        if (!(exact || meaning) || !(lookup || store) || Inspect(call, meaning) is not var (key, query) || (!exact && query is null))
        {
            await BypassAsync(call, next, group.Name).ConfigureAwait(false);
            return;
        }

        call.Http.Response.Headers["x-switchyard-cache-key"] = key.ToString();
        if (exact && lookup && await cache.Store.GetAsync(key, call.Aborted).ConfigureAwait(false) is { } entry)
        {
            await HitAsync(call, entry, similarity: null).ConfigureAwait(false);
            return;
        }

        // An identical call already asking upstream serves this one too (stampede collapse); a call
        // that will store leads, so the ones after it wait instead of calling upstream as well. A lead
        // must be completed on every way out, or the calls waiting for it would wait for ever.
        TaskCompletionSource<CacheEntry?>? lead = null;
        var inFlight = !exact ? null : store ? cache.JoinOrLead(key, out lead) : cache.InFlight(key);
        CacheEntry? stored = null;
        try
        {
            if (lookup && inFlight is not null)
            {
                CacheEntry? shared;
                try
                {
                    shared = await inFlight.WaitAsync(call.Aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    call.Fail(499, "client_closed", "The client closed the connection.");
                    return;
                }

                if (shared is not null)
                {
                    await HitAsync(call, shared, similarity: null).ConfigureAwait(false);
                    return;
                }
            }

            string? reason = null;
            if (lookup && query is not null)
            {
                Semantic.SemanticLookup near;
                try
                {
                    near = await semantic.LookupAsync(query, cache.Store, group.Name, call.Aborted).ConfigureAwait(false);
                }
                catch (Exception) when (call.Aborted.IsCancellationRequested)
                {
                    call.Fail(499, "client_closed", "The client closed the connection.");
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The model failing must not fail the call: it goes on as a miss.
                    Log.SemanticFailed(logger, group.Name, ex);
                    near = Semantic.SemanticLookup.Miss;
                }

                if (near.Entry is { } nearEntry)
                {
                    await HitAsync(call, nearEntry, near.Similarity).ConfigureAwait(false);
                    return;
                }

                reason = near.Shed ? "semantic_shed" : null;
            }

            call.Cache = new CacheResult("miss", Reason: reason);
            cache.Count(group.Name, "miss");
            call.Http.Response.Headers["x-switchyard-cache"] = "miss";
            var capture = store ? new CacheCapture(cache.Options.MaxEntryBytes) : null;
            if (capture is not null)
            {
                call.Response.Add(capture);
            }

            await next(call).ConfigureAwait(false);
            if (capture is not null)
            {
                stored = BuildEntry(call, capture, key, ttl ?? cache.TtlFor(group.Name), query);
                if (stored is not null && lead is null)
                {
                    await cache.Store.SetAsync(stored, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (lead is not null)
            {
                await cache.CompleteAsync(key, lead, stored).ConfigureAwait(false); // null: the calls waiting look for themselves
            }
        }

        if (stored is not null && query is not null)
        {
            semantic.Remember(query, stored, group.Name); // indexed after the answer, by SemanticIndexer
        }
    }

    private async Task BypassAsync(CallContext call, CallDelegate next, string group)
    {
        call.Cache = new CacheResult("bypass");
        cache.Count(group, "bypass");
        call.Http.Response.Headers["x-switchyard-cache"] = "bypass";
        await next(call).ConfigureAwait(false);
    }

    private async Task HitAsync(CallContext call, CacheEntry entry, float? similarity)
    {
        var outcome = similarity is null ? "hit" : "semantic";
        var shown = similarity is { } s ? Math.Round(s, 4) : (double?)null;
        call.Cache = new CacheResult(outcome, entry.CostNanoUsd, shown);
        call.Usage = new TokenUsage(entry.InputTokens, entry.OutputTokens);
        call.UsageReported = true;
        call.CostNanoUsd = 0;
        call.Accounted = true; // nothing was spent upstream: CallCost must not price the replayed tokens
        cache.Count(call.Group!.Name, outcome);
        cache.Saved(call.Group.Name, entry.CostNanoUsd);
        var response = call.Http.Response;
        response.Headers["x-switchyard-cache"] = outcome;
        response.Headers["x-switchyard-cache-key"] = entry.Key.ToString(); // for a semantic hit, the entry served: what to invalidate if it was wrong
        if (shown is { } value)
        {
            response.Headers["x-switchyard-cache-similarity"] = value.ToString("0.0000", CultureInfo.InvariantCulture);
        }

        response.Headers["x-switchyard-attempts"] = "0";
        call.MarkFirstToken();
        await CachedReplay.WriteAsync(call, entry).ConfigureAwait(false);
    }

    /// <summary>
    /// The call's exact key when it may be cached (an API cached in this version, allowed by the operator's
    /// rules), with its semantic query when the group uses the semantic cache and the request can be
    /// compared by meaning; null when it may not be cached.
    /// </summary>
    private (CacheKey Key, Semantic.SemanticQuery? Query)? Inspect(CallContext call, bool meaning)
    {
        if (call.Api is not (ClientApi.ChatCompletions or ClientApi.Embeddings))
        {
            return null;
        }

        // One parse serves the rules, the key and the query.
        using var document = CacheKey.Parse(call.Body.Span);
        try
        {
            if (document is null || Cacheability.Refusal(document.RootElement, cache.Options.MaxTemperature, cache.Options.SideEffectTools) is not null)
            {
                return null;
            }

            var space = cache.SpaceOf(call.Caller);
            var api = call.Api.ToString();
            // A pinned snapshot answers differently from the group's model: its answers are kept apart.
            var model = call.PinnedModel is { } pinned ? call.Group!.Name + "@" + pinned : call.Group!.Name;
            if (CacheKey.Compute(space, model, api, document.RootElement) is not { } key)
            {
                return null;
            }

            var query = meaning && call.Api == ClientApi.ChatCompletions ? semantic.QueryOf(document.RootElement, space, model, api, call.Turn) : null;
            call.Turn ??= query?.Turn;
            return (key, query);
        }
        catch (InvalidOperationException)
        {
            return null; // a string .NET cannot decode (a lone surrogate escape): not cached, not refused
        }
    }

    private CacheEntry? BuildEntry(CallContext call, CacheCapture capture, CacheKey key, TimeSpan ttl, Semantic.SemanticQuery? query)
    {
        if (call.Status != 200 || call.ErrorType is not null || call.Aborted.IsCancellationRequested)
        {
            return null;
        }

        var body = capture.Body;
        if (body is null && capture.Stream is { } stream && capture.StreamFormat == Providers.WireFormat.OpenAIChat)
        {
            body = CompletionFromStream(call, stream.WrittenSpan);
        }

        if (body is null)
        {
            return null;
        }

        cost.Finish(call);
        var now = cache.Time.GetUtcNow();
        return new CacheEntry
        {
            Key = key,
            Space = cache.SpaceOf(call.Caller),
            ModelGroup = call.Group!.Name,
            Body = body,
            InputTokens = call.Usage.InputTokens,
            OutputTokens = call.Usage.OutputTokens,
            CostNanoUsd = call.CostNanoUsd,
            Created = now,
            Expires = now + ttl,
            Prompt = query?.Text,
            SemanticScope = query?.Scope,
        };
    }

    /// <summary>A streamed answer as the <c>chat.completion</c> a plain call would have got.</summary>
    private byte[]? CompletionFromStream(CallContext call, ReadOnlySpan<byte> events)
    {
        if (JsonNode.Parse(Tracing.StreamAssembler.Assemble(Providers.WireFormat.OpenAIChat, events)) is not JsonObject completion)
        {
            return null;
        }

        completion["created"] ??= cache.Time.GetUtcNow().ToUnixTimeSeconds();
        if (call.SystemFingerprint is { } fingerprint)
        {
            completion["system_fingerprint"] ??= fingerprint;
        }

        return System.Text.Encoding.UTF8.GetBytes(completion.ToJsonString());
    }

    private static bool ReadControls(CallContext call, out bool lookup, out bool store, out TimeSpan? ttl, out string? error)
    {
        lookup = store = true;
        ttl = null;
        error = null;
        var headers = call.Http.Request.Headers;
        if (headers.TryGetValue("x-switchyard-cache", out var control))
        {
            switch (control.ToString().Trim().ToLowerInvariant())
            {
                case "no-cache":
                    lookup = false;
                    break;
                case "no-store":
                    store = false;
                    break;
                case "off":
                    lookup = store = false;
                    break;
                default:
                    error = "x-switchyard-cache: expected no-cache, no-store or off.";
                    return false;
            }
        }

        if (headers.TryGetValue("x-switchyard-cache-ttl", out var ttlHeader))
        {
            if (!double.TryParse(ttlHeader.ToString().Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > MaxTtlSeconds)
            {
                error = $"x-switchyard-cache-ttl: expected a number of seconds above 0 and at most {MaxTtlSeconds}.";
                return false;
            }

            ttl = TimeSpan.FromSeconds(seconds);
        }

        return true;
    }

    private static partial class Log
    {
        [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Semantic cache of model group {Group} failed; the call goes on as a miss")]
        public static partial void SemanticFailed(Microsoft.Extensions.Logging.ILogger logger, string group, Exception exception);
    }
}
