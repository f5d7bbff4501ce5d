using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Switchyard.IngestLoad;

/// <summary>
/// Concurrent OTLP/HTTP exporters against <c>POST /v1/traces</c> for a fixed duration, plus a probe
/// that measures end-to-end lag (export sent → trace answered by <c>GET /api/traces/{id}</c>).
/// </summary>
internal static class IngestBench
{
    public static async Task<int> RunAsync(Options o)
    {
        var url = o.String("url").TrimEnd('/');
        var key = o.String("key");
        var json = o.String("format", "protobuf") switch
        {
            "json" => true,
            "protobuf" => false,
            var f => throw new ArgumentException($"--format: json or protobuf, not {f}"),
        };
        var senders = o.Int("senders", 4);
        var batch = o.Int("batch", 500);
        var duration = TimeSpan.FromSeconds(o.Double("duration", 20));
        var drainLimit = TimeSpan.FromSeconds(o.Double("drain-timeout", 60));
        // --rate N: open loop, N spans/s in total (each sender paces its exports); 0 = as fast as accepted.
        var rate = o.Double("rate", 0);
        var pid = o.Optional("pid") is { } p ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = senders + 4, UseProxy = false };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);

        var templates = Enumerable.Range(0, senders).Select(i => OtlpTemplate.Create(json, batch, 1000 + i)).ToArray();
        Console.Error.WriteLine($"[ingest] {(json ? "json" : "protobuf")}: {senders} senders x {batch} spans/export ({templates[0].Length / 1024.0:F1} KiB/export, {templates[0].Length / (double)batch:F0} B/span), {duration.TotalSeconds:F0} s");

        // Warm-up: a few exports so the JIT and the connection pool are ready, not counted.
        var warm = templates[0].NewBuffer();
        ulong warmSeq = 0;
        for (var i = 0; i < 5; i++)
        {
            templates[0].Stamp(warm, 0xFFFF, ref warmSeq);
            using var r = await PostAsync(http, url, warm, templates[0].ContentType).ConfigureAwait(false);
            if (r.StatusCode != HttpStatusCode.OK)
            {
                Console.Error.WriteLine($"[ingest] warm-up export answered {(int)r.StatusCode}: {await r.Content.ReadAsStringAsync().ConfigureAwait(false)}");
                return 1;
            }
        }

        // Warm-up under load (not counted): a fresh server's decoder and span writer run tier-0 code for
        // their first seconds and write a fraction of the steady rate.
        var warmLoad = TimeSpan.FromSeconds(o.Double("warmup-seconds", 10));
        if (warmLoad > TimeSpan.Zero)
        {
            var warmClock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, senders).Select(i => Task.Run(async () =>
            {
                var buffer = templates[i].NewBuffer();
                ulong sequence = 1UL << 40;
                while (warmClock.Elapsed < warmLoad)
                {
                    templates[i].Stamp(buffer, (ushort)(i + 1), ref sequence);
                    using var response = await PostAsync(http, url, buffer, templates[i].ContentType).ConfigureAwait(false);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(200).ConfigureAwait(false);
                    }
                }
            }))).ConfigureAwait(false);
        }

        await WaitDrainedAsync(http, url, drainLimit).ConfigureAwait(false);
        var before = await HealthAsync(http, url).ConfigureAwait(false);
        var cpuBefore = Cpu(pid);
        long accepted = 0, refused = 0, failed = 0, exports = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var lags = new List<double>();
        var probe = ProbeAsync(http, url, json, duration, lags);
        var tasks = Enumerable.Range(0, senders).Select(i => Task.Run(async () =>
        {
            var template = templates[i];
            var buffer = template.NewBuffer();
            ulong sequence = 0;
            var interval = rate > 0 ? TimeSpan.FromSeconds(template.SpanCount * senders / rate) : TimeSpan.Zero;
            var next = clock.Elapsed + (interval * i / senders);
            while (clock.Elapsed < duration)
            {
                if (interval > TimeSpan.Zero)
                {
                    var wait = next - clock.Elapsed;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait).ConfigureAwait(false);
                    }

                    next += interval;
                }

                template.Stamp(buffer, (ushort)(i + 1), ref sequence);
                try
                {
                    using var response = await PostAsync(http, url, buffer, template.ContentType).ConfigureAwait(false);
                    Interlocked.Increment(ref exports);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Add(ref accepted, template.SpanCount);
                    }
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Add(ref refused, template.SpanCount);
                        // As an OTLP exporter does: back off for Retry-After (bounded by the run).
                        var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                        var left = duration - clock.Elapsed;
                        await Task.Delay(wait < left ? wait : left > TimeSpan.Zero ? left : TimeSpan.Zero).ConfigureAwait(false);
                    }
                    else
                    {
                        Interlocked.Add(ref failed, template.SpanCount);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Add(ref failed, template.SpanCount);
                }
            }
        })).ToArray();
        var timeline = new List<string>();
        long lastWritten = before.Written;
        while (!Task.WhenAll(tasks).IsCompleted && clock.Elapsed < duration + TimeSpan.FromSeconds(35))
        {
            await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(1000)).ConfigureAwait(false);
            var h = await HealthAsync(http, url).ConfigureAwait(false);
            timeline.Add($"{clock.Elapsed.TotalSeconds:F0}s:+{h.Written - lastWritten}w/q{h.Queued}");
            lastWritten = h.Written;
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
        var sendSeconds = clock.Elapsed.TotalSeconds;
        var atEnd = await HealthAsync(http, url).ConfigureAwait(false);
        var cpuAtEnd = Cpu(pid);
        var drained = await WaitDrainedAsync(http, url, drainLimit).ConfigureAwait(false);
        var totalSeconds = clock.Elapsed.TotalSeconds;
        var after = await HealthAsync(http, url).ConfigureAwait(false);
        await probe.ConfigureAwait(false);

        var writtenDuring = atEnd.Written - before.Written;
        var writtenTotal = after.Written - before.Written;
        lags.Sort();
        var cpuMs = cpuBefore is { } c0 && cpuAtEnd is { } c1 ? (c1 - c0) * 1000.0 / 100 : double.NaN; // CLK_TCK = 100 on Linux
        Console.Error.WriteLine($"[ingest] timeline (written per s / queued): {string.Join(' ', timeline)}");
        Console.Error.WriteLine($"[ingest] {exports} exports in {sendSeconds:F1} s; accepted {accepted} spans ({accepted / sendSeconds:F0}/s), refused (503) {refused}, failed {failed}");
        Console.Error.WriteLine($"[ingest] written during the run {writtenDuring} ({writtenDuring / sendSeconds:F0}/s); all accepted written after {totalSeconds:F1} s ({writtenTotal / totalSeconds:F0}/s overall, drained={drained}); server writer failures {after.WriteFailures - before.WriteFailures}");
        Console.Error.WriteLine($"[ingest] end-to-end lag (export -> GET /api/traces/id 200), {lags.Count} probes: p50 {Pct(lags, 0.5):F1} ms, p95 {Pct(lags, 0.95):F1} ms, max {(lags.Count > 0 ? lags[^1] : double.NaN):F1} ms; server CPU {cpuMs:F0} ms ({cpuMs / 10 / sendSeconds:F0}% of one core)");
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT mode=ingest format={(json ? "json" : "protobuf")} rate={rate} senders={senders} batch={batch} seconds={sendSeconds:F1} exports={exports} accepted={accepted} accepted_per_s={accepted / sendSeconds:F0} written_per_s={writtenDuring / sendSeconds:F0} written_overall_per_s={writtenTotal / totalSeconds:F0} refused={refused} failed={failed} drained={(drained ? 1 : 0)} drain_s={totalSeconds - sendSeconds:F1} lag_p50_ms={Pct(lags, 0.5):F1} lag_p95_ms={Pct(lags, 0.95):F1} lag_max_ms={(lags.Count > 0 ? lags[^1] : double.NaN):F1} probes={lags.Count} cpu_pct={cpuMs / 10 / sendSeconds:F0} bytes_per_span={templates[0].Length / (double)batch:F0}"));
        return failed == 0 && drained ? 0 : 1;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string url, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return http.PostAsync(url + "/v1/traces", content);
    }

    /// <summary>Every 500 ms: one single-span export with a fresh trace id, then poll the trace until it is there (≤ 30 s).</summary>
    private static async Task ProbeAsync(HttpClient http, string url, bool json, TimeSpan duration, List<double> lags)
    {
        var clock = Stopwatch.StartNew();
        var n = 0;
        while (clock.Elapsed < duration - TimeSpan.FromSeconds(1))
        {
            await Task.Delay(500).ConfigureAwait(false);
            var template = OtlpTemplate.Create(json, 1, 50_000 + n++);
            var body = template.NewBuffer();
            ulong sequence = (ulong)Random.Shared.NextInt64(1, 1L << 40);
            template.Stamp(body, 0xBEEF, ref sequence);
            var traceId = template.FirstTraceId(body);
            var sent = Stopwatch.StartNew();
            using (var r = await PostAsync(http, url, body, template.ContentType).ConfigureAwait(false))
            {
                if (r.StatusCode != HttpStatusCode.OK)
                {
                    continue;
                }
            }

            while (sent.Elapsed < TimeSpan.FromSeconds(30))
            {
                using var r = await http.GetAsync($"{url}/api/traces/{traceId}").ConfigureAwait(false);
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    lock (lags)
                    {
                        lags.Add(sent.Elapsed.TotalMilliseconds);
                    }

                    break;
                }

                await Task.Delay(5).ConfigureAwait(false);
            }
        }
    }

    private sealed record Health(long Written, long Queued, long Accepted, long Refused, long WriteFailures);

    private static async Task<Health> HealthAsync(HttpClient http, string url)
    {
        using var r = await http.GetAsync(url + "/health/ready").ConfigureAwait(false);
        using var doc = JsonDocument.Parse(await r.Content.ReadAsByteArrayAsync().ConfigureAwait(false));
        var i = doc.RootElement.GetProperty("ingestion");
        return new Health(i.GetProperty("written_spans").GetInt64(), i.GetProperty("queued_spans").GetInt64(), i.GetProperty("accepted_spans").GetInt64(), i.GetProperty("refused_spans").GetInt64(), i.GetProperty("write_failures").GetInt64());
    }

    private static async Task<bool> WaitDrainedAsync(HttpClient http, string url, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var h = await HealthAsync(http, url).ConfigureAwait(false);
            if (h.Queued == 0)
            {
                return true;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return false;
    }

    private static long? Cpu(int? pid)
    {
        if (pid is not { } id || !File.Exists($"/proc/{id}/stat"))
        {
            return null;
        }

        var stat = File.ReadAllText($"/proc/{id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static double Pct(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
