namespace Switchyard.Telemetry.Otlp;

/// <summary>OTLP times are uint64 nanoseconds since the epoch; Switchyard keeps them as long.</summary>
internal static class OtlpTime
{
    /// <summary>
    /// Converts, rejecting values past <see cref="long.MaxValue"/> (the year 2262): no real clock
    /// produces them, so they mark a corrupt body rather than a time worth clamping.
    /// </summary>
    public static long ToSigned(ulong nanos, string field) =>
        nanos <= long.MaxValue ? (long)nanos : throw new OtlpFormatException($"{field} {nanos} is out of range");
}
