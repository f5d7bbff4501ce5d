namespace Switchyard.Tracing;

/// <summary>
/// The grains of the rollups (<see cref="IRollupStore"/>): per minute and model group, and per hour,
/// model group, key and team. The dashboard reads them for views filtered at most by model group, key
/// and team, so a week of a million calls is a few thousand rows, not a million.
/// </summary>
internal static class MinuteRollups
{
    public const long MinuteUs = 60_000_000;
    public const long HourUs = 60 * MinuteUs;

    public static long MinuteOf(long us) => us / MinuteUs * MinuteUs;

    public static long HourOf(long us) => us / HourUs * HourUs;
}
