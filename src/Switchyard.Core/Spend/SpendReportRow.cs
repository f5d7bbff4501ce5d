namespace Switchyard.Spend;

/// <summary>One group of a spend report: its dimension values, in the query's order (null for no key, user or team), and its sums.</summary>
internal sealed record SpendReportRow(IReadOnlyList<string?> Dimensions, SpendFigures Figures);
