namespace Switchyard.Limits;

/// <summary>
/// One occurrence of a budget window: [Start, End) as UTC instants, computed from the calendar in the
/// configured time zone (days start at local midnight, weeks on Monday, months on the 1st). A
/// <see cref="BudgetWindowKind.Total"/> window never ends.
/// </summary>
internal readonly record struct BudgetWindow(BudgetWindowKind Kind, DateTimeOffset Start, DateTimeOffset? End)
{
    public static BudgetWindow Containing(BudgetWindowKind kind, DateTimeOffset now, TimeZoneInfo zone)
    {
        if (kind == BudgetWindowKind.Total)
        {
            return new BudgetWindow(kind, DateTimeOffset.UnixEpoch, null);
        }

        var local = TimeZoneInfo.ConvertTime(now, zone).Date;
        var (start, end) = kind switch
        {
            BudgetWindowKind.Daily => (local, local.AddDays(1)),
            BudgetWindowKind.Weekly => (local.AddDays(-DaysSinceMonday(local)), local.AddDays(7 - DaysSinceMonday(local))),
            _ => (new DateTime(local.Year, local.Month, 1), new DateTime(local.Year, local.Month, 1).AddMonths(1)),
        };
        return new BudgetWindow(kind, LocalMidnightToUtc(start, zone), LocalMidnightToUtc(end, zone));
    }

    /// <summary>The first local calendar day of the window (spend is stored per local day).</summary>
    public DateOnly FirstDay(TimeZoneInfo zone) => Kind == BudgetWindowKind.Total
        ? DateOnly.MinValue
        : DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Start, zone).DateTime);

    /// <summary>A stable identity of this window for the limit store and the alert log.</summary>
    public long Id => Start.ToUnixTimeSeconds();

    private static int DaysSinceMonday(DateTime day) => ((int)day.DayOfWeek + 6) % 7;

    /// <summary>
    /// Local midnight as a UTC instant. Where a DST change skips midnight (some zones switch at 00:00),
    /// the day starts at the first local time that exists.
    /// </summary>
    private static DateTimeOffset LocalMidnightToUtc(DateTime localMidnight, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(localMidnight, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
