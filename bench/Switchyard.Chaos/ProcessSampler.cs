using System.Diagnostics;
using System.Globalization;

namespace Switchyard.Chaos;

/// <summary>Reads the gateway's memory, threads, descriptors and CPU from /proc, and its runtime gauges from <c>/metrics</c>.</summary>
internal sealed class ProcessSampler(int pid, HttpClient http, Uri metricsUrl)
{
    /// <summary>Prometheus series summed over their labels (any line starting with the name).</summary>
    public static readonly string[] MetricNames =
    [
        "dotnet_gc_last_collection_heap_size_bytes",
        "dotnet_gc_heap_total_allocated_bytes",
        "dotnet_process_memory_working_set_bytes",
    ];

    // Linux reports utime/stime in USER_HZ, which is 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private long _lastTicks = -1;
    private long _lastTimestamp;
    private long _lastRequests;
    private double _lastElapsedS;

    public bool Alive => Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}"));

    public async Task<ProcessSample> SampleAsync(string phase, double elapsedS, long requests)
    {
        var proc = string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}");
        long rssKb = 0;
        var threads = 0;
        foreach (var line in await File.ReadAllLinesAsync(proc + "/status").ConfigureAwait(false))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rssKb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }

        var (fds, sockets) = CountDescriptors(proc + "/fd");
        var now = Stopwatch.GetTimestamp();
        var ticks = await CpuTicksAsync(proc + "/stat").ConfigureAwait(false);
        var cpuPct = _lastTicks < 0 ? double.NaN : (ticks - _lastTicks) / TicksPerSecond / Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds * 100;
        _lastTicks = ticks;
        _lastTimestamp = now;

        var rps = elapsedS > _lastElapsedS ? (requests - _lastRequests) / (elapsedS - _lastElapsedS) : 0;
        _lastRequests = requests;
        _lastElapsedS = elapsedS;

        var metrics = await ScrapeAsync().ConfigureAwait(false);
        return new ProcessSample(phase, elapsedS, rssKb, threads, fds, sockets, cpuPct, metrics[0], metrics[1], metrics[2], requests, rps);
    }

    private static (int Fds, int Sockets) CountDescriptors(string dir)
    {
        int fds = 0, sockets = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
        {
            fds++;
            try
            {
                if (new FileInfo(entry).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    sockets++;
                }
            }
            catch (IOException)
            {
                // Closed between the listing and the readlink.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return (fds, sockets);
    }

    private static async Task<long> CpuTicksAsync(string statPath)
    {
        // Fields after the command name (which may hold spaces and parentheses): state is field 3,
        // utime and stime are fields 14 and 15.
        var stat = await File.ReadAllTextAsync(statPath).ConfigureAwait(false);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    private async Task<double?[]> ScrapeAsync()
    {
        var sums = new double?[MetricNames.Length];
        string text;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            text = await http.GetStringAsync(metricsUrl, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return sums;
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            for (var i = 0; i < MetricNames.Length; i++)
            {
                if (line.StartsWith(MetricNames[i], StringComparison.Ordinal) && Value(line) is { } v)
                {
                    sums[i] = (sums[i] ?? 0) + v;
                }
            }
        }

        return sums;
    }

    /// <summary>The sample value of a Prometheus text line: the first token after the name and its labels.</summary>
    private static double? Value(string line)
    {
        var close = line.LastIndexOf('}');
        var rest = close >= 0 ? line[(close + 1)..] : line[Math.Max(0, line.IndexOf(' ', StringComparison.Ordinal))..];
        var token = rest.Trim().Split(' ', 2)[0];
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;
    }
}
