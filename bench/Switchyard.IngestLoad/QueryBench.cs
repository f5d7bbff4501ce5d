using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Switchyard.IngestLoad;

/// <summary>
/// Warm latency of the traces and metrics API over a seeded store: each request is sent
/// <c>--warmup</c> times, then <c>--reps</c> times one after another; the time is measured by the
/// client on loopback from sending the request to the end of the response body.
/// </summary>
internal static class QueryBench
{
    public static async Task<int> RunAsync(Options o)
    {
        var url = o.String("url").TrimEnd('/');
        var reps = o.Int("reps", 50);
        var warmup = o.Int("warmup", 5);
        var only = o.Optional("only");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(120) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.String("key"));

        // Page 2 needs the cursor of page 1.
        string cursor;
        using (var first = JsonDocument.Parse(await http.GetByteArrayAsync(url + "/api/traces?limit=50").ConfigureAwait(false)))
        {
            cursor = first.RootElement.GetProperty("next_cursor").GetString() ?? throw new InvalidOperationException("no next_cursor: is the store seeded?");
        }

        (string Name, string Path, string Target)[] cases =
        [
            ("list first page, unfiltered", "/api/traces?limit=50", "list"),
            ("list page 2 (cursor)", "/api/traces?limit=50&cursor=" + cursor, "list"),
            ("list model=gpt-4o-mini (30% of calls)", "/api/traces?limit=50&model=gpt-4o-mini", "list"),
            ("list model=sandbox (1%)", "/api/traces?limit=50&model=sandbox", "list"),
            ("list user=user-0000 (10%)", "/api/traces?limit=50&user=user-0000", "list"),
            ("list user=user-0500 (0.03%)", "/api/traces?limit=50&user=user-0500", "list"),
            ("list key=key-10 (2%)", "/api/traces?limit=50&key=key-10", "-"),
            ("list tag=prod (5% of calls)", "/api/traces?limit=50&tag=prod", "-"),
            ("list tag=priority (0.3%)", "/api/traces?limit=50&tag=priority", "-"),
            ("list status=error (5%)", "/api/traces?limit=50&status=error", "-"),
            ("list model=gpt-4o&status=error", "/api/traces?limit=50&model=gpt-4o&status=error", "-"),
            ("summary, last day", "/api/metrics/summary", "agg"),
            ("summary, last day, group_by=model", "/api/metrics/summary?group_by=model", "agg"),
            ("timeseries, last day, bucket=1h", "/api/metrics/timeseries?bucket=1h", "agg"),
            ("timeseries, last day, 1h, group_by=model", "/api/metrics/timeseries?bucket=1h&group_by=model", "agg"),
            ("summary, last day, model=gpt-4o", "/api/metrics/summary?model=gpt-4o", "agg"),
            ("summary, last 7 days", "/api/metrics/summary?from=" + DateTimeOffset.UtcNow.AddDays(-7).ToUnixTimeSeconds(), "-"),
        ];

        var failures = 0;
        foreach (var (name, path, target) in cases)
        {
            if (only is not null && !name.Contains(only, StringComparison.Ordinal))
            {
                continue;
            }

            var times = new List<double>(reps);
            long bytes = 0;
            var status = 0;
            for (var i = 0; i < warmup + reps; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await http.GetAsync(url + path, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
                var ms = clock.Elapsed.TotalMilliseconds;
                status = (int)response.StatusCode;
                bytes = body.Length;
                if (i >= warmup)
                {
                    times.Add(ms);
                }
            }

            if (status != 200)
            {
                failures++;
            }

            times.Sort();
            var limit = target switch { "list" => 50.0, "agg" => 200.0, _ => double.NaN };
            var p50 = IngestBench.Pct(times, 0.5);
            var verdict = double.IsNaN(limit) ? "-" : p50 < limit ? "met" : "MISSED";
            Console.Error.WriteLine($"[query] {name,-45} p50 {p50,8:F2} ms  p95 {IngestBench.Pct(times, 0.95),8:F2} ms  max {times[^1],8:F2} ms  ({bytes} B, HTTP {status}) target {(double.IsNaN(limit) ? "-" : $"<{limit} ms")} {verdict}");
            Console.WriteLine(FormattableString.Invariant($"RESULT mode=query name=\"{name}\" path=\"{path}\" reps={reps} p50_ms={p50:F2} p95_ms={IngestBench.Pct(times, 0.95):F2} max_ms={times[^1]:F2} bytes={bytes} status={status} target_ms={limit} verdict={verdict}"));
        }

        return failures == 0 ? 0 : 1;
    }
}
