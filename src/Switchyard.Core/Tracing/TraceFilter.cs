using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Tracing;

/// <summary>The filters of <c>GET /api/traces</c> (and the CLI), parsed and validated from a query string.</summary>
internal sealed record TraceFilter
{
    public const int MaxLimit = 1000;

    public long? FromUs { get; init; }

    public long? ToUs { get; init; }

    public string? Model { get; init; }

    public string? Deployment { get; init; }

    public string? Key { get; init; }

    public string? Team { get; init; }

    /// <summary>The team the caller's key is bound to: only that team's calls are seen, whatever <see cref="Team"/> asks.</summary>
    public string? ScopeTeam { get; init; }

    public string? User { get; init; }

    public string? Session { get; init; }

    public string? Tag { get; init; }

    /// <summary>Calls that rendered this stored prompt.</summary>
    public string? Prompt { get; init; }

    public int? PromptVersion { get; init; }

    /// <summary>The label the call asked for (<c>production</c>, <c>latest</c>...).</summary>
    public string? PromptLabel { get; init; }

    /// <summary>The experiment or rollout variant the call was assigned.</summary>
    public string? Variant { get; init; }

    /// <summary>Only calls whose upstream model or system_fingerprint changed against the one before.</summary>
    public bool ModelChanged { get; init; }

    public (string Key, string Value)? Metadata { get; init; }

    /// <summary>An HTTP status, or -1 for any error (status ≥ 400), -2 for any success.</summary>
    public int? Status { get; init; }

    public decimal? MinCostUsd { get; init; }

    public double? MinLatencyMs { get; init; }

    public string? Text { get; init; }

    public int Limit { get; init; } = 50;

    /// <summary>Exclusive upper bound (start time, id) from the previous page.</summary>
    public (long StartUs, long Id)? Cursor { get; init; }

    /// <summary>
    /// This filter confined to what <paramref name="reach"/> may read. A key bound to a team filters by its
    /// team (so the team indexes and hourly rollups serve it); asking for another team then finds nothing.
    /// </summary>
    public TraceFilter Within(Identity.Reach reach) =>
        reach.Team is not { } team ? this : this with { Team = Team ?? team, ScopeTeam = team };

    public static bool TryParse(IQueryCollection query, out TraceFilter filter, out string? error)
    {
        filter = new TraceFilter();
        error = null;
        try
        {
            string? Get(string name) => query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { Length: > 0 } s ? s : null;
            var metadata = Get("metadata");
            (string, string)? pair = null;
            if (metadata is not null)
            {
                var eq = metadata.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    error = "metadata: use key=value.";
                    return false;
                }

                var key = metadata[..eq];
                if (!key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
                {
                    error = "metadata: the key may use letters, digits, '_', '-' and '.'.";
                    return false;
                }

                pair = (key, metadata[(eq + 1)..]);
            }

            filter = new TraceFilter
            {
                FromUs = Time(Get("from"), "from"),
                ToUs = Time(Get("to"), "to"),
                Model = Get("model"),
                Deployment = Get("deployment"),
                Key = Get("key"),
                Team = Get("team"),
                User = Get("user"),
                Session = Get("session"),
                Tag = Get("tag"),
                Prompt = Get("prompt"),
                PromptVersion = Get("prompt_version") is { } pv ? int.Parse(pv, NumberStyles.None, CultureInfo.InvariantCulture) : null,
                PromptLabel = Get("prompt_label"),
                Variant = Get("variant"),
                ModelChanged = Get("model_changed") switch
                {
                    null or "false" => false,
                    "true" => true,
                    _ => throw new FormatException("model_changed: true or false."),
                },
                Metadata = pair,
                Status = Get("status") switch
                {
                    null => null,
                    "error" => -1,
                    "success" or "ok" => -2,
                    var s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : throw new FormatException("status: a status code, error or success."),
                },
                MinCostUsd = Get("min_cost") is { } c ? decimal.Parse(c, NumberStyles.Number, CultureInfo.InvariantCulture) : null,
                MinLatencyMs = Get("min_latency_ms") is { } l ? double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture) : null,
                Text = Get("q"),
                Limit = Get("limit") is { } n ? Math.Clamp(int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture), 1, MaxLimit) : 50,
                Cursor = Get("cursor") is { } cursor ? DecodeCursor(cursor) : null,
            };
            return true;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            error = ex.Message.Contains(':', StringComparison.Ordinal) ? ex.Message : "A filter value has the wrong format: " + ex.Message;
            return false;
        }
    }

    public static string EncodeCursor(long startUs, long id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{startUs}:{id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static (long, long) DecodeCursor(string cursor)
    {
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split(':');
            return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException or OverflowException)
        {
            throw new FormatException("cursor: not a cursor this API returned.");
        }
    }

    /// <summary>ISO 8601, or Unix time in seconds or milliseconds.</summary>
    private static long? Time(string? value, string name)
    {
        if (value is null)
        {
            return null;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var unix))
        {
            return unix > 100_000_000_000 ? unix * 1000 : unix * 1_000_000;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time.ToUnixTimeMilliseconds() * 1000;
        }

        throw new FormatException($"{name}: an ISO 8601 time or Unix seconds/milliseconds.");
    }
}
