using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchyard.Limits;

namespace Switchyard.Spend.Alerts;

/// <summary>The filters of <c>GET /api/alerts</c>, parsed and validated from a query string.</summary>
internal sealed record AlertQuery
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    public SubjectKind? Kind { get; init; }

    public string? SubjectId { get; init; }

    /// <summary>Fired at or after, Unix microseconds.</summary>
    public long? FromUs { get; init; }

    /// <summary>Fired before, Unix microseconds.</summary>
    public long? ToUs { get; init; }

    public int Limit { get; init; } = DefaultLimit;

    public static bool TryParse(IQueryCollection query, out AlertQuery result, out string? error)
    {
        result = new AlertQuery();
        string? Get(string name) => query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { Length: > 0 } s ? s : null;

        SubjectKind? kind = null;
        if (Get("subject_kind") is { } kindText)
        {
            if (!AlertNames.TryParseSubjectKind(kindText, out var parsed))
            {
                error = $"subject_kind: one of {AlertNames.SubjectKindList}.";
                return false;
            }

            kind = parsed;
        }

        var limit = DefaultLimit;
        if (Get("limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit)
            {
                error = $"limit: a whole number from 1 to {MaxLimit}.";
                return false;
            }
        }

        if (!TryTime(Get("from"), "from", out var from, out error) || !TryTime(Get("to"), "to", out var to, out error))
        {
            return false;
        }

        result = new AlertQuery { Kind = kind, SubjectId = Get("subject_id"), FromUs = from, ToUs = to, Limit = limit };
        return true;
    }

    /// <summary>ISO 8601, or Unix time in seconds or milliseconds (as <c>/api/traces</c> takes them).</summary>
    private static bool TryTime(string? value, string name, out long? us, out string? error)
    {
        us = null;
        error = null;
        if (value is null)
        {
            return true;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) && unix < 100_000_000_000_000)
        {
            us = unix > 100_000_000_000 ? unix * 1000 : unix * 1_000_000;
            return true;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            us = AlertTime.ToUs(time);
            return true;
        }

        error = $"{name}: an ISO 8601 time or Unix seconds/milliseconds.";
        return false;
    }
}
