using Switchyard.Limits;

namespace Switchyard.Spend.Alerts;

/// <summary>The names alerts use on the wire and in the store (snake case, stable across renames in code).</summary>
internal static class AlertNames
{
    public const string ThresholdCrossedEvent = "budget.threshold_crossed";
    public const string TestEvent = "switchyard.test";

    /// <summary>Stored, not yet delivered (or the process stopped while delivering: retried at the next start).</summary>
    public const string Pending = "pending";

    /// <summary>Every configured webhook accepted it.</summary>
    public const string Delivered = "delivered";

    /// <summary>At least one webhook refused it, or all attempts failed.</summary>
    public const string Failed = "failed";

    /// <summary>No webhook is configured: the alert is only in the API.</summary>
    public const string NoWebhooks = "none";

    public static string Of(SubjectKind kind) => kind switch
    {
        SubjectKind.Global => "global",
        SubjectKind.ModelGroup => "model_group",
        SubjectKind.Team => "team",
        SubjectKind.User => "user",
        SubjectKind.Key => "key",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Of(BudgetWindowKind kind) => kind switch
    {
        BudgetWindowKind.Daily => "daily",
        BudgetWindowKind.Weekly => "weekly",
        BudgetWindowKind.Monthly => "monthly",
        BudgetWindowKind.Total => "total",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string Of(BudgetMode mode) => mode == BudgetMode.Hard ? "hard" : "soft";

    public static bool TryParseSubjectKind(string name, out SubjectKind kind)
    {
        foreach (var candidate in Enum.GetValues<SubjectKind>())
        {
            if (Of(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static SubjectKind SubjectKindOf(string name) => TryParseSubjectKind(name, out var kind) ? kind : throw new FormatException($"Unknown subject kind '{name}'.");

    public static BudgetWindowKind WindowKindOf(string name) => Enum.GetValues<BudgetWindowKind>().First(k => Of(k) == name);

    public static BudgetMode ModeOf(string name) => name == "hard" ? BudgetMode.Hard : BudgetMode.Soft;

    public static string SubjectKindList => string.Join(", ", Enum.GetValues<SubjectKind>().Select(Of));
}
