namespace Switchyard.Guardrails;

/// <summary>The value of a request's <c>x-switchyard-guardrails</c> header: <c>off=NAME[,NAME...]</c>.</summary>
internal static class OptOut
{
    /// <summary>Null with the names in <paramref name="off"/>, or why the value is not one.</summary>
    public static string? Parse(string value, GuardrailCatalog catalog, out HashSet<string> off)
    {
        off = new HashSet<string>(StringComparer.Ordinal);
        var text = value.Trim();
        if (!text.StartsWith("off=", StringComparison.Ordinal))
        {
            return "expected off=NAME[,NAME...], the guards to turn off for this call.";
        }

        foreach (var name in text[4..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!catalog.TryGet(name, out _))
            {
                return $"'{name}' is not a guard.";
            }

            off.Add(name);
        }

        return off.Count == 0 ? "expected at least one guard name after off=." : null;
    }
}
