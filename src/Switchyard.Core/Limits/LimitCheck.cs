namespace Switchyard.Limits;

/// <summary>One level a call is checked against (the gateway, its model group, team, user or key) with that level's limits and budget.</summary>
/// <param name="StateKey">The subject's name in the store: "global", "model_group:gpt-4o", "key:key_…".</param>
/// <param name="Window">The budget window containing the call's start; default when there is no budget.</param>
internal readonly record struct LimitCheck(string StateKey, SubjectKind Kind, string SubjectId, RateLimits Limits, Budget? Budget, BudgetWindow Window)
{
    public bool IsEmpty => Limits.IsEmpty && Budget is null;
}
