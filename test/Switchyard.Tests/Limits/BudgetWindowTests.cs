using Switchyard.Limits;
using Xunit;

namespace Switchyard.Tests.Limits;

public sealed class BudgetWindowTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public void Days_start_at_local_midnight()
    {
        // 23:30 UTC on 27 November is 00:30 on the 28th in Paris (UTC+1).
        var window = BudgetWindow.Containing(BudgetWindowKind.Daily, new DateTimeOffset(2026, 11, 27, 23, 30, 0, TimeSpan.Zero), Paris);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero), window.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 23, 0, 0, TimeSpan.Zero), window.End);
        Assert.Equal(new DateOnly(2026, 11, 28), window.FirstDay(Paris));
    }

    [Fact]
    public void Weeks_start_on_monday_and_months_on_the_first()
    {
        var friday = new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
        var week = BudgetWindow.Containing(BudgetWindowKind.Weekly, friday, TimeZoneInfo.Utc);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), week.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero), week.End);
        var month = BudgetWindow.Containing(BudgetWindowKind.Monthly, friday, TimeZoneInfo.Utc);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), month.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), month.End);
    }

    [Fact]
    public void Months_follow_daylight_saving_changes()
    {
        // Paris switches to summer time on 29 March 2026: March starts at UTC+1, April at UTC+2.
        var march = BudgetWindow.Containing(BudgetWindowKind.Monthly, new DateTimeOffset(2026, 3, 15, 12, 0, 0, TimeSpan.Zero), Paris);
        Assert.Equal(new DateTimeOffset(2026, 2, 28, 23, 0, 0, TimeSpan.Zero), march.Start);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 22, 0, 0, TimeSpan.Zero), march.End);
    }

    [Fact]
    public void A_total_window_never_ends()
    {
        var total = BudgetWindow.Containing(BudgetWindowKind.Total, DateTimeOffset.UtcNow, Paris);
        Assert.Null(total.End);
        Assert.Equal(DateOnly.MinValue, total.FirstDay(Paris));
    }
}
