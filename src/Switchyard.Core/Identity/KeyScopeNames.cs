namespace Switchyard.Identity;

internal static class KeyScopeNames
{
    private static readonly (KeyScopes Scope, string Name)[] s_names =
    [
        (KeyScopes.Inference, "inference"),
        (KeyScopes.Ingest, "ingest"),
        (KeyScopes.Feedback, "feedback"),
        (KeyScopes.Read, "read"),
        (KeyScopes.Admin, "admin"),
        (KeyScopes.GuardrailsOff, "guardrails_off"),
        (KeyScopes.PromptOverride, "prompt_override"),
    ];

    public static string Known => string.Join(", ", s_names.Select(n => n.Name));

    public static bool TryParse(string name, out KeyScopes scope)
    {
        foreach (var (s, n) in s_names)
        {
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase))
            {
                scope = s;
                return true;
            }
        }

        scope = KeyScopes.None;
        return false;
    }

    public static IEnumerable<string> Names(KeyScopes scopes) => s_names.Where(n => (scopes & n.Scope) != 0).Select(n => n.Name);

    /// <summary>True when the scopes allow <paramref name="needed"/>; admin allows everything.</summary>
    public static bool Allows(this KeyScopes scopes, KeyScopes needed) => (scopes & KeyScopes.Admin) != 0 || (scopes & needed) == needed;
}
