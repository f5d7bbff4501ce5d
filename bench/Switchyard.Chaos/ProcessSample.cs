namespace Switchyard.Chaos;

/// <summary>One look at the gateway process.</summary>
/// <param name="Phase"><c>baseline</c> (before traffic), <c>load</c>, or <c>idle</c> (after traffic stopped).</param>
/// <param name="ElapsedS">Seconds since traffic started (0 for the baseline).</param>
/// <param name="RssKb">VmRSS from /proc/PID/status.</param>
/// <param name="Threads">Threads from /proc/PID/status.</param>
/// <param name="Fds">Entries of /proc/PID/fd.</param>
/// <param name="Sockets">Of those, links to <c>socket:[...]</c>.</param>
/// <param name="CpuPct">utime+stime since the previous sample over wall time (100 = one core).</param>
/// <param name="GcHeapBytes">Sum of <c>dotnet_gc_last_collection_heap_size_bytes</c> lines of /metrics, null when absent.</param>
/// <param name="GcAllocatedBytes">Sum of <c>dotnet_gc_heap_total_allocated_bytes</c> lines, null when absent.</param>
/// <param name="WorkingSetBytes">Sum of <c>dotnet_process_memory_working_set_bytes</c> lines, null when absent.</param>
/// <param name="Requests">Calls the soak client had completed.</param>
/// <param name="IntervalRps">Calls completed since the previous sample, per second.</param>
internal sealed record ProcessSample(
    string Phase, double ElapsedS, long RssKb, int Threads, int Fds, int Sockets, double CpuPct,
    double? GcHeapBytes, double? GcAllocatedBytes, double? WorkingSetBytes, long Requests, double IntervalRps);
