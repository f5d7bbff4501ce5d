namespace Switchyard.Spend.Alerts;

/// <summary>Alert times as Unix microseconds, the unit of window ends and query bounds.</summary>
internal static class AlertTime
{
    public static long ToUs(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromUs(long us) => new(DateTimeOffset.UnixEpoch.UtcTicks + (us * 10), TimeSpan.Zero);
}
