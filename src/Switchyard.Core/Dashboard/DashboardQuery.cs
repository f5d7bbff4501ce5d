using System.Globalization;
using Microsoft.AspNetCore.Http;
using Switchyard.Tracing;

namespace Switchyard.Dashboard;

/// <summary>
/// A page's window and filters, read from the query string (so every view is a link that can be shared
/// or reloaded): <c>window</c> (<c>1h</c>, <c>24h</c>, <c>7d</c>, or <c>custom</c> with <c>from</c>/<c>to</c>)
/// and the filters <c>/api/traces</c> understands.
/// </summary>
internal sealed record DashboardQuery(string Window, DateTimeOffset From, DateTimeOffset To, TimeSpan Bucket, TraceFilter Filter, string? Error)
{
    public static readonly string[] FilterNames = ["model", "key", "team", "user", "tag"];

    /// <summary>The traces page's extra filters: status (a code, error or success) and text in the content.</summary>
    public static readonly string[] TraceFilterNames = [.. FilterNames, "prompt", "status", "q"];

    public static DashboardQuery Read(IQueryCollection query, DateTimeOffset now, string defaultWindow = "1h")
    {
        var window = query["window"].ToString() is { Length: > 0 } w ? w : query.ContainsKey("from") ? "custom" : defaultWindow;
        string? error = null;
        if (!TraceFilter.TryParse(query, out var filter, out var parseError))
        {
            error = parseError;
            filter = new TraceFilter();
        }

        DateTimeOffset from, to;
        if (window == "custom" && filter.FromUs is { } f)
        {
            from = DateTimeOffset.FromUnixTimeMilliseconds(f / 1000);
            to = filter.ToUs is { } t ? DateTimeOffset.FromUnixTimeMilliseconds(t / 1000) : now;
        }
        else
        {
            window = window is "1h" or "24h" or "7d" ? window : defaultWindow;
            to = now;
            from = now - (window switch { "24h" => TimeSpan.FromDays(1), "7d" => TimeSpan.FromDays(7), _ => TimeSpan.FromHours(1) });
        }

        if (to <= from)
        {
            error ??= "The window ends before it starts.";
            to = from + TimeSpan.FromHours(1);
        }

        var bucket = BucketFor(to - from);

        // Buckets align to the bucket size, so the same minute is the same bar on every refresh.
        var alignedFrom = DateTimeOffset.FromUnixTimeMilliseconds(from.ToUnixTimeMilliseconds() / (long)bucket.TotalMilliseconds * (long)bucket.TotalMilliseconds);
        filter = filter with { FromUs = alignedFrom.ToUnixTimeMilliseconds() * 1000, ToUs = to.ToUnixTimeMilliseconds() * 1000 };
        return new DashboardQuery(window, alignedFrom, to, bucket, filter, error);
    }

    /// <summary>
    /// The smallest of the usual steps that draws the window in at most 90 bars; whole hours for a day or
    /// more (the hourly rollups then answer key and team views too).
    /// </summary>
    public static TimeSpan BucketFor(TimeSpan span)
    {
        foreach (var minutes in (int[])[1, 5, 10, 15, 30, 60, 180, 360, 720, 1440])
        {
            if (span.TotalMinutes / minutes <= 90 && (minutes >= 60 || span < TimeSpan.FromDays(1)))
            {
                return TimeSpan.FromMinutes(minutes);
            }
        }

        return TimeSpan.FromDays(Math.Ceiling(span.TotalDays / 90));
    }

    /// <summary>The same filters over the window just before this one, for "against the previous window".</summary>
    /// <remarks>As long as this window rounded up to whole buckets, so its start falls on a bucket boundary too and the rollups can answer it.</remarks>
    public TraceFilter Previous
    {
        get
        {
            var bucketUs = (long)Bucket.TotalMicroseconds;
            var span = (Filter.ToUs!.Value - Filter.FromUs!.Value + bucketUs - 1) / bucketUs * bucketUs;
            return Filter with { FromUs = Filter.FromUs - span, ToUs = Filter.FromUs, Cursor = null };
        }
    }

    /// <summary>The filter fields of the filter bar with their values.</summary>
    public IReadOnlyDictionary<string, string?> FilterFields(bool traces = false) => (traces ? TraceFilterNames : FilterNames).ToDictionary(n => n, n => (string?)FilterPairs().FirstOrDefault(p => p.Name == n).Value);

    /// <summary>The filters as query-string pairs (window excluded).</summary>
    public IEnumerable<(string Name, string Value)> FilterPairs()
    {
        var status = Filter.Status switch { null => null, -1 => "error", -2 => "success", var code => code.Value.ToString(CultureInfo.InvariantCulture) };
        var promptVersion = Filter.PromptVersion?.ToString(CultureInfo.InvariantCulture);
        foreach (var (name, value) in new[] { ("model", Filter.Model), ("key", Filter.Key), ("team", Filter.Team), ("user", Filter.User), ("tag", Filter.Tag), ("prompt", Filter.Prompt), ("prompt_version", promptVersion), ("prompt_label", Filter.PromptLabel), ("variant", Filter.Variant), ("status", status), ("q", Filter.Text) })
        {
            if (value is { Length: > 0 })
            {
                yield return (name, value);
            }
        }
    }

    /// <summary>The traces page for [<paramref name="from"/>, <paramref name="to"/>) with these filters.</summary>
    public string TracesLink(DateTimeOffset from, DateTimeOffset to) =>
        "/ui/traces?" + string.Join("&", new[] { ("from", Iso(from)), ("to", Iso(to)) }.Concat(FilterPairs()).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));

    public static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
