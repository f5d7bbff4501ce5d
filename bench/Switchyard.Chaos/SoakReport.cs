using System.Globalization;
using System.Text;

namespace Switchyard.Chaos;

/// <summary>The soak run as markdown, with the after-warm-up analysis and the verdict.</summary>
internal sealed class SoakReport
{
    /// <summary>Memory may grow this much (mean of the second half of the samples after warm-up vs the first half) and still count as flat.</summary>
    private const double MemoryTolerance = 0.10;

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    private readonly DateTimeOffset _started;
    private readonly Uri _url;
    private readonly int _pid;
    private readonly double _duration;
    private readonly int _concurrency;
    private readonly double _sampleSeconds;
    private readonly TrafficKind[] _kinds;
    private readonly Dictionary<TrafficKind, CountMap> _outcomes;
    private readonly List<ProcessSample> _samples;
    private readonly double _trafficSeconds;
    private readonly long _calls;
    private readonly bool _alive;
    private readonly string? _ready;
    private readonly string _commandLine;
    private readonly List<ProcessSample> _load;
    private readonly List<ProcessSample> _measured;
    private readonly string _warmupNote;
    private readonly List<string> _verdict = [];

    public SoakReport(DateTimeOffset started, Uri url, int pid, double duration, int concurrency, double sampleSeconds,
        TrafficKind[] kinds, Dictionary<TrafficKind, CountMap> outcomes, List<ProcessSample> samples,
        double trafficSeconds, long calls, bool alive, string? ready, string commandLine)
    {
        _started = started;
        _url = url;
        _pid = pid;
        _duration = duration;
        _concurrency = concurrency;
        _sampleSeconds = sampleSeconds;
        _kinds = kinds;
        _outcomes = outcomes;
        _samples = samples;
        _trafficSeconds = trafficSeconds;
        _calls = calls;
        _alive = alive;
        _ready = ready;
        _commandLine = commandLine;

        // Warm-up: the first 10 % of the run, at least 60 s. When that leaves fewer than 3 samples
        // (a short run), only the first sample under load counts as warm-up.
        _load = [.. samples.Where(s => s.Phase == "load")];
        var warmup = Math.Max(0.1 * duration, 60);
        _measured = [.. _load.Where(s => s.ElapsedS >= warmup - 0.5)];
        if (_measured.Count >= 3)
        {
            _warmupNote = string.Create(s_invariant, $"the first {warmup:F0} s (10 % of the run, at least 60 s)");
        }
        else
        {
            _measured = [.. _load.Skip(1)];
            _warmupNote = "the first sample only (the run is too short for a 60 s warm-up)";
        }

        Analyse();
    }

    /// <summary>Memory flat and no growth in threads, descriptors or sockets.</summary>
    public bool Flat { get; private set; }

    public IReadOnlyList<string> VerdictLines() => _verdict;

    private static double? Rss(ProcessSample s) => s.RssKb * 1024.0;

    private static double? Heap(ProcessSample s) => s.GcHeapBytes;

    private static double? WorkingSet(ProcessSample s) => s.WorkingSetBytes;

    private static double? Threads(ProcessSample s) => s.Threads;

    private static double? Fds(ProcessSample s) => s.Fds;

    private static double? Sockets(ProcessSample s) => s.Sockets;

    private void Analyse()
    {
        if (_measured.Count < 2)
        {
            _verdict.Add("memory flat within 10 %: n/a (fewer than 2 samples after warm-up)");
            _verdict.Add("threads/sockets/handles growth: n/a (fewer than 2 samples after warm-up)");
            Flat = false;
        }
        else
        {
            var rss = RobustGrowth(Rss);
            var heap = RobustGrowth(Heap);
            var memoryFlat = rss is { } r && r <= MemoryTolerance && (heap is null || heap <= MemoryTolerance);
            var detail = string.Create(s_invariant, $"RSS {Pct(rss)}") + (heap is null ? ", GC heap not in /metrics" : string.Create(s_invariant, $", GC heap {Pct(heap)}"));
            _verdict.Add($"memory flat within 10 %: {(memoryFlat ? "yes" : "no")} ({detail}; mean of the second half of the samples after warm-up vs the first half)");

            var growth = new List<string>();
            var levels = new List<string>();
            foreach (var (name, get) in new (string, Func<ProcessSample, double?>)[] { ("threads", Threads), ("sockets", Sockets), ("fds", Fds) })
            {
                var first = FirstHalf(get)!.Value;
                var last = SecondHalf(get)!.Value;
                levels.Add(string.Create(s_invariant, $"{name} {first:F1} → {last:F1}"));
                if (last - first > Math.Max(2, 0.10 * first))
                {
                    growth.Add(string.Create(s_invariant, $"{name} +{last - first:F1} ({first:F1} → {last:F1})"));
                }
            }

            _verdict.Add(growth.Count == 0
                ? $"threads/sockets/handles growth: none ({string.Join(", ", levels)})"
                : $"threads/sockets/handles growth: {string.Join("; ", growth)}");
            Flat = memoryFlat && growth.Count == 0;
        }

        var unexpected = _kinds.Sum(k => _outcomes[k].Sorted().Where(p => !k.IsExpected(p.Key)).Sum(p => p.Value));
        _verdict.Add(string.Create(s_invariant, $"unexpected outcomes: {unexpected} of {_calls} calls"));
        _verdict.Add($"gateway alive at the end: {(_alive ? "yes" : "NO")}");
    }

    public string Markdown()
    {
        var sb = new StringBuilder();
        void L(string line = "") => sb.Append(line).Append('\n');

        L(string.Create(s_invariant, $"# Switchyard soak — {_started:yyyy-MM-dd HH:mm} UTC"));
        L();
        L(string.Create(s_invariant, $"- Gateway {_url} (pid {_pid}); {_duration:F0} s of mixed traffic at concurrency {_concurrency}, a sample every {_sampleSeconds:F0} s"));
        L(string.Create(s_invariant, $"- Machine: {Environment.ProcessorCount} cores, {MemTotalGiB()} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; .NET {Environment.Version}"));
        L($"- Warm-up: {_warmupNote}");
        L($"- Command: `switchyard-chaos {_commandLine}`");
        L();
        L("## Verdict");
        L();
        foreach (var line in _verdict)
        {
            L("- " + line);
        }

        L();
        L("Growth in threads, sockets or descriptors means the mean of the second half of the samples after warm-up exceeds the mean of the first half by more than max(2, 10 %).");
        L();
        L("## Requests");
        L();
        L(string.Create(s_invariant, $"{_calls} calls in {_trafficSeconds:F0} s = {_calls / Math.Max(_trafficSeconds, 1e-9):F0} calls/s (calls cut short by the end of the run are not counted)."));
        L();
        L("| kind | model | what | calls | calls/s | p50 ms | p99 ms | max ms |");
        L("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var k in _kinds)
        {
            var n = _outcomes[k].Total;
            L(string.Create(s_invariant, $"| {k.Name} | {k.Model} | {k.Description} | {n} | {n / Math.Max(_trafficSeconds, 1e-9):F1} | {Ms(k.Latency.Percentile(0.5))} | {Ms(k.Latency.Percentile(0.99))} | {Ms(n == 0 ? double.NaN : k.Latency.MaxMs)} |"));
        }

        L();
        L("Latency is to the end of the body (streams: the end of the stream; cancelled calls: the cancel; a failed stream: its error event).");
        L();
        L("| kind | outcome | calls | share of kind | expected |");
        L("|---|---|---:|---:|---|");
        foreach (var k in _kinds)
        {
            var total = _outcomes[k].Total;
            foreach (var (outcome, n) in _outcomes[k].Sorted())
            {
                L(string.Create(s_invariant, $"| {k.Name} | {outcome} | {n} | {(double)n / total:P1} | {(k.IsExpected(outcome) ? "yes" : "**no**")} |"));
            }
        }

        L();
        L("## Gateway process after warm-up");
        L();
        if (_measured.Count == 0)
        {
            L("No sample after warm-up.");
        }
        else
        {
            var first = _measured[0];
            var last = _measured[^1];
            var baseline = _samples.FirstOrDefault(s => s.Phase == "baseline");
            L(string.Create(s_invariant, $"| metric | baseline (t=0, idle) | first after warm-up (t={first.ElapsedS:F0} s) | last (t={last.ElapsedS:F0} s) | max after warm-up | last vs first | second half vs first half |"));
            L("|---|---:|---:|---:|---:|---:|---:|");
            Row(sb, "RSS (MB)", Rss, baseline, 1048576);
            Row(sb, "GC heap after last collection (MB)", Heap, baseline, 1048576);
            Row(sb, "working set, runtime gauge (MB)", WorkingSet, baseline, 1048576);
            Row(sb, "threads", Threads, baseline, 1);
            Row(sb, "open descriptors", Fds, baseline, 1);
            Row(sb, "sockets", Sockets, baseline, 1);
            L();
            var cpu = _measured.Where(s => !double.IsNaN(s.CpuPct)).Select(s => s.CpuPct).DefaultIfEmpty(double.NaN).Average();
            L(string.Create(s_invariant, $"Gateway CPU after warm-up: {cpu:F0} % of one core on average."));
            if (first.GcAllocatedBytes is { } a0 && last.GcAllocatedBytes is { } a1 && last.ElapsedS > first.ElapsedS)
            {
                var rate = (a1 - a0) / (last.ElapsedS - first.ElapsedS);
                var callsBetween = last.Requests - first.Requests;
                var perCall = callsBetween > 0 ? string.Create(s_invariant, $", {(a1 - a0) / callsBetween / 1024:F1} KB per call") : "";
                L(string.Create(s_invariant, $"GC allocations after warm-up: {rate / 1048576:F1} MB/s{perCall}."));
            }

            if (_measured.All(s => s.GcHeapBytes is null))
            {
                L("The gateway's /metrics has none of " + string.Join(", ", ProcessSampler.MetricNames.Select(n => "`" + n + "`")) + ": only /proc figures are available.");
            }
        }

        L();
        L("## Samples");
        L();
        L("| phase | t (s) | RSS MB | threads | fds | sockets | CPU % | GC heap MB | allocated MB | calls | calls/s |");
        L("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var s in _samples)
        {
            L(string.Create(s_invariant, $"| {s.Phase} | {s.ElapsedS:F0} | {s.RssKb / 1024.0:F1} | {s.Threads} | {s.Fds} | {s.Sockets} | {(double.IsNaN(s.CpuPct) ? "–" : s.CpuPct.ToString("F0", s_invariant))} | {Mb(s.GcHeapBytes)} | {Mb(s.GcAllocatedBytes)} | {s.Requests} | {s.IntervalRps:F0} |"));
        }

        if (_ready is not null)
        {
            L();
            L("## Gateway readiness at the end (`GET /health/ready`)");
            L();
            L("```json");
            L(_ready.Trim());
            L("```");
        }

        return sb.ToString();
    }

    private void Row(StringBuilder sb, string name, Func<ProcessSample, double?> get, ProcessSample? baseline, double unit)
    {
        if (_measured.All(s => get(s) is null))
        {
            sb.Append("| ").Append(name).Append(" | not in /metrics | | | | | |\n");
            return;
        }

        var values = _measured.Select(get).Where(v => v is not null).Select(v => v!.Value).ToList();
        var first = get(_measured[0]);
        var last = get(_measured[^1]);
        var growth = first is { } f && last is { } l && f != 0 ? (l - f) / f : (double?)null;
        string V(double? v) => v is { } x ? (x / unit).ToString(unit == 1 ? "F0" : "F1", s_invariant) : "–";
        sb.Append(string.Create(s_invariant, $"| {name} | {V((baseline is null ? null : get(baseline)))} | {V(first)} | {V(last)} | {V(values.Max())} | {Pct(growth)} | {Pct(RobustGrowth(get))} |\n"));
    }

    // Halves rather than a few end samples: sockets and descriptors follow the connections open at the
    // instant of a sample, which swing by a dozen under cancellations; the mean of many samples does not.
    private double? FirstHalf(Func<ProcessSample, double?> get) => Mean(_measured.Take(_measured.Count / 2).Select(get));

    private double? SecondHalf(Func<ProcessSample, double?> get) => Mean(_measured.Skip(_measured.Count / 2).Select(get));

    /// <summary>Mean of the second half of the samples after warm-up against the mean of the first half, as a fraction; null when absent.</summary>
    private double? RobustGrowth(Func<ProcessSample, double?> get) =>
        FirstHalf(get) is { } first && SecondHalf(get) is { } last && first > 0 ? (last - first) / first : null;

    private static double? Mean(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null).Select(v => v!.Value).ToList();
        return present.Count == 0 ? null : present.Average();
    }

    private static string Pct(double? fraction) => fraction is { } f ? (f >= 0 ? "+" : "−") + Math.Abs(f * 100).ToString("F1", s_invariant) + " %" : "–";

    private static string Ms(double ms) => double.IsNaN(ms) ? "–" : ms.ToString(ms < 10 ? "F2" : "F1", s_invariant);

    private static string Mb(double? bytes) => bytes is { } b ? (b / 1048576).ToString("F1", s_invariant) : "–";

    private static string MemTotalGiB()
    {
        try
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            var kb = line is null ? 0 : long.Parse(line.AsSpan(9).Trim().TrimEnd("kB").Trim(), s_invariant);
            return (kb / 1048576.0).ToString("F0", s_invariant);
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
