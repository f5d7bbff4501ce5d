using System.Diagnostics;
using System.Globalization;

namespace Switchyard.Chaos;

/// <summary>
/// <c>soak</c>: mixed traffic against a running gateway for a long time while sampling its process
/// (/proc and <c>/metrics</c>), then a report on whether memory, threads, descriptors and sockets stay
/// flat after warm-up.
/// </summary>
internal static class SoakCommand
{
    public static async Task<int> RunAsync(Options options, string[] commandLine)
    {
        var baseUrl = ChaosHttp.BaseUrl(options.Required("url"));
        var pid = options.Int("pid", 0);
        var duration = options.Double("duration", 1800);
        var concurrency = options.Int("concurrency", 16);
        var sampleSeconds = options.Double("sample-seconds", 10);
        var outFile = options.Optional("out");
        var csvFile = options.Optional("csv");
        var key = options.Optional("key");
        var seed = options.Int("seed", 1);
        var timeout = TimeSpan.FromSeconds(options.Double("timeout-s", 30));
        var plainModel = options.String("plain-model", "soak-plain");
        var sandboxModel = options.String("sandbox-model", "soak-sandbox");
        var brokenModel = options.String("broken-model", "soak-broken");
        var requireFlat = options.Flag("require-flat");
        options.RejectUnknown();
        if (pid <= 0 || duration <= 0 || concurrency < 1 || sampleSeconds <= 0 || timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("--pid is required; --duration, --concurrency, --sample-seconds and --timeout-s must be positive");
        }

        TrafficKind[] kinds =
        [
            new("plain", plainModel, false, CancelMode.None, 30, [CallResult.Ok], "plain call; the group has a healthy and a faulty (30 % HTTP 500) deployment"),
            new("stream", plainModel, true, CancelMode.None, 20, [CallResult.Ok], "stream through the same group"),
            new("sandbox-stream", sandboxModel, true, CancelMode.None, 15, [CallResult.Ok, "stream_error_event", "stream_broken"], "simulated stream, 5 % cut mid-way"),
            new("broken", brokenModel, false, CancelMode.None, 10, ["http_5"], "group whose only deployment always fails"),
            new("cancel-stream", sandboxModel, true, CancelMode.AfterFirstChunk, 10, [CallResult.Cancelled, CallResult.Ok, "stream_error_event"], "client cancels a stream after its first chunk"),
            new("cancel-plain", plainModel, false, CancelMode.AfterDelay, 10, [CallResult.Cancelled, CallResult.Ok], "client cancels a plain call after 0–20 ms (real upstreams)"),
            new("cancel-plain-sandbox", sandboxModel, false, CancelMode.AfterDelay, 5, [CallResult.Cancelled, CallResult.Ok], "client cancels a plain call after 0–20 ms (simulated model)"),
        ];
        var totalWeight = kinds.Sum(k => k.Weight);

        using var client = ChaosHttp.CreateClient();
        using var probe = ChaosHttp.CreateClient();
        var sampler = new ProcessSampler(pid, probe, ChaosHttp.Combine(baseUrl, "/metrics"));
        if (!sampler.Alive)
        {
            throw new ArgumentException($"--pid {pid}: no such process");
        }

        var outcomes = kinds.ToDictionary(k => k, _ => new CountMap());
        long completed = 0;
        var samples = new List<ProcessSample>();
        await using var csv = csvFile is null ? null : new StreamWriter(csvFile, append: false);
        csv?.WriteLine("phase,elapsed_s,rss_kb,threads,fds,sockets,cpu_pct,gc_heap_bytes,gc_allocated_bytes,working_set_bytes,requests,interval_rps");

        async Task<bool> TakeAsync(string phase, double elapsed)
        {
            ProcessSample s;
            try
            {
                s = await sampler.SampleAsync(phase, elapsed, Interlocked.Read(ref completed)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false; // The process went away while it was read.
            }

            samples.Add(s);
            if (csv is not null)
            {
                await csv.WriteLineAsync(Csv(s)).ConfigureAwait(false);
                await csv.FlushAsync().ConfigureAwait(false);
            }

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"soak {phase,-8} t={s.ElapsedS,7:F1}s rss={s.RssKb / 1024.0,7:F1}MB threads={s.Threads,3} fds={s.Fds,4} sockets={s.Sockets,4} cpu={(double.IsNaN(s.CpuPct) ? "–" : s.CpuPct.ToString("F0", CultureInfo.InvariantCulture)),5}% gc_heap={Mb(s.GcHeapBytes)} calls={s.Requests} ({s.IntervalRps:F0}/s)"));
            return true;
        }

        var started = DateTimeOffset.UtcNow;
        var alive = await TakeAsync("baseline", 0).ConfigureAwait(false);
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var workers = new Task[concurrency];
        for (var w = 0; w < concurrency; w++)
        {
            var rng = new Random(unchecked((seed * 7919) + w));
            workers[w] = Task.Run(async () =>
            {
                var caller = new ChatCaller(client, baseUrl, key, timeout);
                while (!stop.IsCancellationRequested)
                {
                    var kind = Pick(kinds, rng.Next(totalWeight));
                    var delay = kind.Cancel == CancelMode.AfterDelay ? TimeSpan.FromMilliseconds(rng.NextDouble() * 20) : TimeSpan.Zero;
                    var r = await caller.CallAsync(kind.Body, kind.Stream, kind.Cancel, delay, stop.Token).ConfigureAwait(false);
                    if (r.Stopped)
                    {
                        break;
                    }

                    outcomes[kind].Add(r.Outcome);
                    kind.Latency.Record(r.LatencyMs);
                    Interlocked.Increment(ref completed);
                }
            });
        }

        for (var k = 1; alive; k++)
        {
            var target = Math.Min(k * sampleSeconds, duration);
            var wait = target - clock.Elapsed.TotalSeconds;
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(wait)).ConfigureAwait(false);
            }

            alive = sampler.Alive && await TakeAsync("load", clock.Elapsed.TotalSeconds).ConfigureAwait(false);
            if (target >= duration)
            {
                break;
            }
        }

        var trafficSeconds = clock.Elapsed.TotalSeconds;
        var calls = Interlocked.Read(ref completed);
        await stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(false);
        if (alive)
        {
            // Connections and threads the load needed should be released once it stops.
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(5, sampleSeconds))).ConfigureAwait(false);
            alive = sampler.Alive && await TakeAsync("idle", clock.Elapsed.TotalSeconds).ConfigureAwait(false);
        }

        var ready = alive ? await ReadyAsync(probe, baseUrl).ConfigureAwait(false) : null;
        var report = new SoakReport(started, baseUrl, pid, duration, concurrency, sampleSeconds, kinds, outcomes, samples,
            trafficSeconds, calls, alive, ready, string.Join(' ', commandLine));
        var markdown = report.Markdown();
        if (outFile is not null)
        {
            await File.WriteAllTextAsync(outFile, markdown).ConfigureAwait(false);
            Console.Error.WriteLine($"soak: wrote {outFile}");
        }
        else
        {
            Console.Out.Write(markdown);
        }

        foreach (var line in report.VerdictLines())
        {
            Console.Error.WriteLine("soak: " + line);
        }

        if (!alive)
        {
            Console.Error.WriteLine($"soak: the gateway (pid {pid}) is gone");
            return 1;
        }

        return requireFlat && !report.Flat ? 1 : 0;
    }

    private static TrafficKind Pick(TrafficKind[] kinds, int draw)
    {
        foreach (var kind in kinds)
        {
            if (draw < kind.Weight)
            {
                return kind;
            }

            draw -= kind.Weight;
        }

        return kinds[^1];
    }

    private static async Task<string?> ReadyAsync(HttpClient http, Uri baseUrl)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await http.GetStringAsync(ChaosHttp.Combine(baseUrl, "/health/ready"), cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    private static string Csv(ProcessSample s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Phase},{s.ElapsedS:F1},{s.RssKb},{s.Threads},{s.Fds},{s.Sockets},{(double.IsNaN(s.CpuPct) ? "" : s.CpuPct.ToString("F1", CultureInfo.InvariantCulture))},{s.GcHeapBytes},{s.GcAllocatedBytes},{s.WorkingSetBytes},{s.Requests},{s.IntervalRps:F1}");

    private static string Mb(double? bytes) => bytes is { } b ? (b / 1048576).ToString("F1", CultureInfo.InvariantCulture) + "MB" : "n/a";
}
