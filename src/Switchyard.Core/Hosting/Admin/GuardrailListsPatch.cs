using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>
/// <c>guardrails</c> in a key's or a team's body, read as a merge patch: <c>{"input": [...]}</c> sets the
/// input list and keeps the output one, <c>"output": null</c> makes the output follow the next level again.
/// </summary>
internal sealed record GuardrailListsPatch : PatchBody
{
    public string[]? Input { get; set => field = Mark(value); }

    public string[]? Output { get; set => field = Mark(value); }

    /// <summary>The lists after a body's <c>guardrails</c> member: kept when absent, cleared by null, else patched.</summary>
    public static string? Merge(bool present, GuardrailListsPatch? patch, GuardrailLists? current, Func<string, bool> isGuard, out GuardrailLists? next)
    {
        next = present ? null : current;
        return present && patch is not null ? patch.Apply(current, isGuard, out next) : null;
    }

    /// <summary>
    /// <paramref name="current"/> with this patch applied (null when both lists follow the next level);
    /// the first name <paramref name="isGuard"/> does not know is the problem returned.
    /// </summary>
    public string? Apply(GuardrailLists? current, Func<string, bool> isGuard, out GuardrailLists? next)
    {
        next = null;
        foreach (var (field, names) in (ReadOnlySpan<(string, string[]?)>)[("input", Input), ("output", Output)])
        {
            foreach (var name in names ?? [])
            {
                if (string.IsNullOrEmpty(name) || !isGuard(name))
                {
                    return $"guardrails.{field}: '{name}' is not a guard of this gateway's guardrails.guards (GET /api/guardrails lists them).";
                }
            }
        }

        next = new GuardrailLists
        {
            Input = Or(nameof(Input), Input?.Distinct(StringComparer.Ordinal).ToArray(), current?.Input),
            Output = Or(nameof(Output), Output?.Distinct(StringComparer.Ordinal).ToArray(), current?.Output),
        }.OrNull();
        return null;
    }
}
