using System.Text.RegularExpressions;

namespace Switchyard.Prompts.Serving;

/// <summary>
/// Whether a pinned snapshot applies to a deployment. A model group may fall back across providers, so a
/// pin like <c>gpt-4o-2024-08-06</c> replaces only a deployment of the same family (<c>gpt-4o</c>,
/// <c>gpt-4o-2024-05-13</c>); a fallback of another family is still called with its own model.
/// </summary>
internal static partial class ModelPin
{
    public static bool Fits(string pinned, string deploymentModel) =>
        string.Equals(pinned, deploymentModel, StringComparison.Ordinal)
        || pinned.StartsWith(deploymentModel + "-", StringComparison.Ordinal)
        || string.Equals(Family(pinned), Family(deploymentModel), StringComparison.Ordinal);

    /// <summary>The model without its snapshot suffix: a date (<c>-2024-08-06</c>, <c>-20241022</c>) or <c>-latest</c>.</summary>
    public static string Family(string model) => SnapshotSuffix().Replace(model, "");

    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$", RegexOptions.CultureInvariant)]
    private static partial Regex SnapshotSuffix();
}
