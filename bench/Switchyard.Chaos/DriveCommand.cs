using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchyard.Chaos;

/// <summary>
/// <c>drive</c>: a fixed number of chat completions at a fixed concurrency (closed loop), then a summary:
/// success rate, latency percentiles, failures by kind, and how the gateway answered
/// (<c>x-switchyard-attempts</c>, <c>x-switchyard-deployment</c>). Exit 1 when a <c>--require-*</c> is missed.
/// </summary>
internal static class DriveCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var baseUrl = ChaosHttp.BaseUrl(options.Required("url"));
        var calls = options.Int("calls", 2000);
        var concurrency = options.Int("concurrency", 16);
        var model = options.String("model", "chaos-model");
        var streamRatio = options.Double("stream-ratio", 0);
        var key = options.Optional("key");
        var outFile = options.Optional("out");
        var requireSuccess = options.OptionalDouble("require-success");
        var requireP99 = options.OptionalDouble("require-p99-ms");
        var warmup = options.Int("warmup", 0);
        var timeout = TimeSpan.FromSeconds(options.Double("timeout-s", 30));
        var seed = options.Int("seed", 1);
        var label = options.Optional("label");
        options.RejectUnknown();
        if (calls < 1 || concurrency < 1 || warmup < 0 || streamRatio is < 0 or > 1 || timeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("--calls and --concurrency must be positive, --warmup not negative, --stream-ratio in [0, 1], --timeout-s positive");
        }

        using var client = ChaosHttp.CreateClient();
        var run = new Run(client, baseUrl, key, timeout, model, streamRatio, concurrency);
        if (warmup > 0)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drive: {warmup} warm-up calls (not counted)"));
            await run.ExecuteAsync(new CallResult[warmup], new bool[warmup], seed + 1_000_003L).ConfigureAwait(false);
        }

        var results = new CallResult[calls];
        var streams = new bool[calls];
        var clock = Stopwatch.StartNew();
        await run.ExecuteAsync(results, streams, seed).ConfigureAwait(false);
        var wall = clock.Elapsed;

        var summary = Summary.From(results, streams, wall);
        var checks = new List<(string What, bool Met)>();
        if (requireSuccess is { } minRate)
        {
            checks.Add((string.Create(CultureInfo.InvariantCulture, $"success rate {summary.SuccessRate:P3} ≥ {minRate:P3}"), summary.SuccessRate >= minRate));
        }

        if (requireP99 is { } maxP99)
        {
            checks.Add((string.Create(CultureInfo.InvariantCulture, $"p99 {summary.P99:F1} ms ≤ {maxP99:F1} ms"), summary.P99 <= maxP99));
        }

        var pass = checks.All(c => c.Met);
        Print(summary, baseUrl, model, calls, concurrency, streamRatio, warmup, label, checks);
        Console.Out.WriteLine(ResultLine(summary, pass, label));
        if (outFile is not null)
        {
            await File.WriteAllBytesAsync(outFile, Json(summary, baseUrl, model, calls, concurrency, streamRatio, warmup, label, checks, pass)).ConfigureAwait(false);
        }

        return pass ? 0 : 1;
    }

    private static void Print(Summary s, Uri url, string model, int calls, int concurrency, double streamRatio, int warmup, string? label, List<(string What, bool Met)> checks)
    {
        var w = Console.Error;
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"drive{(label is null ? "" : " [" + label + "]")}: {calls} calls to {url} model {model}, concurrency {concurrency}, stream ratio {streamRatio}, warm-up {warmup}"));
        w.WriteLine(string.Create(c, $"  total {s.Total} (plain {s.Plain}, streams {s.Streams}) in {s.Wall.TotalSeconds:F2} s = {s.Total / s.Wall.TotalSeconds:F0} calls/s"));
        w.WriteLine(string.Create(c, $"  succeeded {s.Succeeded}, failed {s.Failed}: success rate {s.SuccessRate:P3}"));
        w.WriteLine($"  failures: {s.Failures.Describe()}");
        w.WriteLine(string.Create(c, $"  latency ms (all calls): p50 {s.P50:F2}  p90 {s.P90:F2}  p99 {s.P99:F2}  max {s.Max:F2}"));
        w.WriteLine(string.Create(c, $"  latency ms (succeeded): p50 {s.OkP50:F2}  p99 {s.OkP99:F2}"));
        w.WriteLine($"  x-switchyard-attempts: {s.Attempts.Describe(byLabel: true)}");
        w.WriteLine($"  x-switchyard-deployment: {s.Deployments.Describe()}");
        foreach (var (what, met) in checks)
        {
            w.WriteLine($"  requirement {what}: {(met ? "met" : "MISSED")}");
        }
    }

    /// <summary>One <c>RESULT k=v ...</c> line whose values are safe for a shell <c>eval</c>.</summary>
    private static string ResultLine(Summary s, bool pass, string? label)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder("RESULT");
        void Add(string k, string v) => sb.Append(' ').Append(k).Append('=').Append(Safe(v));
        if (label is not null)
        {
            Add("label", label);
        }

        Add("total", s.Total.ToString(c));
        Add("succeeded", s.Succeeded.ToString(c));
        Add("failed", s.Failed.ToString(c));
        Add("success_rate", s.SuccessRate.ToString("F5", c));
        Add("rps", (s.Total / s.Wall.TotalSeconds).ToString("F0", c));
        Add("p50_ms", s.P50.ToString("F2", c));
        Add("p90_ms", s.P90.ToString("F2", c));
        Add("p99_ms", s.P99.ToString("F2", c));
        Add("max_ms", s.Max.ToString("F2", c));
        Add("failures", Compact(s.Failures.Sorted()));
        Add("attempts", Compact(s.Attempts.ByLabel()));
        Add("deployments", Compact(s.Deployments.Sorted()));
        Add("pass", pass ? "1" : "0");
        return sb.ToString();
    }

    private static string Compact(IReadOnlyList<KeyValuePair<string, long>> items) =>
        items.Count == 0 ? "none" : string.Join(',', items.Select(p => p.Key + ":" + p.Value.ToString(CultureInfo.InvariantCulture)));

    private static string Safe(string v)
    {
        var chars = v.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var ch = chars[i];
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' or ':' or ',' or '/' or '+'))
            {
                chars[i] = '_';
            }
        }

        return chars.Length == 0 ? "none" : new string(chars);
    }

    private static byte[] Json(Summary s, Uri url, string model, int calls, int concurrency, double streamRatio, int warmup, string? label, List<(string What, bool Met)> checks, bool pass)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (label is not null)
            {
                w.WriteString("label", label);
            }

            w.WriteString("url", url.AbsoluteUri);
            w.WriteString("model", model);
            w.WriteNumber("calls", calls);
            w.WriteNumber("concurrency", concurrency);
            w.WriteNumber("stream_ratio", streamRatio);
            w.WriteNumber("warmup_calls", warmup);
            w.WriteNumber("wall_seconds", Math.Round(s.Wall.TotalSeconds, 3));
            w.WriteNumber("total", s.Total);
            w.WriteNumber("plain", s.Plain);
            w.WriteNumber("streams", s.Streams);
            w.WriteNumber("succeeded", s.Succeeded);
            w.WriteNumber("failed", s.Failed);
            w.WriteNumber("success_rate", s.SuccessRate);
            w.WriteStartObject("latency_ms");
            w.WriteNumber("p50", Math.Round(s.P50, 3));
            w.WriteNumber("p90", Math.Round(s.P90, 3));
            w.WriteNumber("p99", Math.Round(s.P99, 3));
            w.WriteNumber("max", Math.Round(s.Max, 3));
            w.WriteEndObject();
            w.WriteStartObject("succeeded_latency_ms");
            w.WriteNumber("p50", Math.Round(s.OkP50, 3));
            w.WriteNumber("p99", Math.Round(s.OkP99, 3));
            w.WriteEndObject();
            WriteCounts(w, "failures", s.Failures.Sorted());
            WriteCounts(w, "attempts", s.Attempts.ByLabel());
            WriteCounts(w, "deployments", s.Deployments.Sorted());
            w.WriteStartArray("requirements");
            foreach (var (what, met) in checks)
            {
                w.WriteStartObject();
                w.WriteString("check", what);
                w.WriteBoolean("met", met);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteBoolean("pass", pass);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteCounts(Utf8JsonWriter w, string name, IReadOnlyList<KeyValuePair<string, long>> items)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in items)
        {
            w.WriteNumber(k, v);
        }

        w.WriteEndObject();
    }

    /// <summary>The calls of one phase, spread over <c>concurrency</c> workers pulling the next index.</summary>
    private sealed class Run(HttpClient client, Uri baseUrl, string? key, TimeSpan timeout, string model, double streamRatio, int concurrency)
    {
        private readonly byte[] _plainBody = ChatCaller.Body(model, stream: false);
        private readonly byte[] _streamBody = ChatCaller.Body(model, stream: true);

        public Task ExecuteAsync(CallResult[] results, bool[] streams, long seed)
        {
            var next = -1;
            var workers = new Task[Math.Min(concurrency, results.Length)];
            for (var w = 0; w < workers.Length; w++)
            {
                workers[w] = Task.Run(async () =>
                {
                    var caller = new ChatCaller(client, baseUrl, key, timeout);
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < results.Length)
                    {
                        var stream = streamRatio > 0 && Chance.Unit(seed, 3, i) < streamRatio;
                        streams[i] = stream;
                        results[i] = await caller.CallAsync(stream ? _streamBody : _plainBody, stream, CancelMode.None, TimeSpan.Zero, CancellationToken.None).ConfigureAwait(false);
                    }
                });
            }

            return Task.WhenAll(workers);
        }
    }

    private sealed record Summary(
        int Total, int Plain, int Streams, int Succeeded, TimeSpan Wall,
        double P50, double P90, double P99, double Max, double OkP50, double OkP99,
        CountMap Failures, CountMap Attempts, CountMap Deployments)
    {
        public int Failed => Total - Succeeded;

        public double SuccessRate => Total == 0 ? 0 : (double)Succeeded / Total;

        public static Summary From(CallResult[] results, bool[] streams, TimeSpan wall)
        {
            var all = results.Select(r => r.LatencyMs).Order().ToArray();
            var ok = results.Where(r => r.Succeeded).Select(r => r.LatencyMs).Order().ToArray();
            var failures = new CountMap();
            var attempts = new CountMap();
            var deployments = new CountMap();
            foreach (var r in results)
            {
                if (!r.Succeeded)
                {
                    failures.Add(r.Outcome);
                }

                attempts.Add(r.Attempts ?? "none");
                deployments.Add(r.Deployment ?? "none");
            }

            var streamCount = streams.Count(s => s);
            return new Summary(
                results.Length, results.Length - streamCount, streamCount, ok.Length, wall,
                Percentiles.Of(all, 0.50), Percentiles.Of(all, 0.90), Percentiles.Of(all, 0.99), all.Length == 0 ? double.NaN : all[^1],
                Percentiles.Of(ok, 0.50), Percentiles.Of(ok, 0.99),
                failures, attempts, deployments);
        }
    }
}
