namespace Switchyard.Dashboard;

/// <summary>Where a span's bar sits on the trace page's waterfall, as percentages of the trace's duration.</summary>
/// <remarks>
/// Span times come from anyone holding an ingest key, so they may be negative, reversed, enormous or
/// not numbers at all. Whatever comes in, the bar stays inside the track and at least
/// <see cref="MinWidth"/> wide, so a span is drawn (possibly pinned to an edge), never refused.
/// </remarks>
internal static class SpanGeometry
{
    /// <summary>The narrowest bar, in percent, so that instant spans stay visible.</summary>
    public const double MinWidth = 0.3;

    public static (double Left, double Width) Place(double offsetMs, double durationMs, double totalMs)
    {
        var total = double.IsFinite(totalMs) && totalMs > 0 ? totalMs : 0;
        var left = total > 0 && double.IsFinite(offsetMs) ? offsetMs / total * 100 : 0;
        var width = total > 0 && double.IsFinite(durationMs) ? durationMs / total * 100 : MinWidth;
        left = Math.Clamp(double.IsFinite(left) ? left : 0, 0, 100 - MinWidth);

        // Min then Max, not Math.Clamp: 100 - left can round to a hair under MinWidth, and Clamp throws when its bounds cross.
        width = Math.Max(Math.Min(double.IsFinite(width) ? width : MinWidth, 100 - left), MinWidth);
        return (left, width);
    }

    /// <summary>Indentation steps the stylesheet has classes for (<c>depth-0</c> … <c>depth-12</c>); deeper spans share the last.</summary>
    public static int DepthClass(int depth) => Math.Clamp(depth, 0, 12);
}
