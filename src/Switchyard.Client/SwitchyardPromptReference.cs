using System.Globalization;
using System.Text.RegularExpressions;

namespace Switchyard.Client;

/// <summary>
/// A registry prompt named on a call: <c>NAME@LABEL</c> or <c>NAME@VERSION</c>, sent as the
/// <c>x-switchyard-prompt</c> header (<see cref="SwitchyardRequestOptions.Prompt"/>).
/// </summary>
public sealed partial record SwitchyardPromptReference
{
    private SwitchyardPromptReference(string name, string? label, int? version)
    {
        Name = name;
        Label = label;
        Version = version;
    }

    /// <summary>The prompt's name.</summary>
    public string Name { get; }

    /// <summary>The label (production, staging...), or null when <see cref="Version"/> is set.</summary>
    public string? Label { get; }

    /// <summary>The version number, or null when <see cref="Label"/> is set.</summary>
    public int? Version { get; }

    /// <summary>The version a label points at when the call is made (<c>NAME@LABEL</c>; <c>latest</c> is the newest).</summary>
    /// <exception cref="ArgumentException">A name or label the gateway would refuse.</exception>
    public static SwitchyardPromptReference AtLabel(string name, string label = "production")
    {
        CheckName(name);
        if (label is null || !LabelPattern().IsMatch(label))
        {
            throw new ArgumentException($"Switchyard prompt label '{label}': 1 to 64 letters, digits, '-', '_' or '.'.", nameof(label));
        }

        return new SwitchyardPromptReference(name, label, null);
    }

    /// <summary>One exact version (<c>NAME@VERSION</c>).</summary>
    /// <exception cref="ArgumentException">A name the gateway would refuse, or a version below 1.</exception>
    public static SwitchyardPromptReference AtVersion(string name, int version)
    {
        CheckName(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        return new SwitchyardPromptReference(name, null, version);
    }

    /// <summary>The header value: <c>NAME@LABEL</c> or <c>NAME@VERSION</c>.</summary>
    public override string ToString() => $"{Name}@{Label ?? Version!.Value.ToString(CultureInfo.InvariantCulture)}";

    private static void CheckName(string name)
    {
        if (name is null || !NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"Switchyard prompt name '{name}': 1 to 128 letters, digits, '-', '_' or '.', starting with a letter or digit.", nameof(name));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // A label is never all digits here: NAME@7 is read as version 7.
    [GeneratedRegex(@"^(?![0-9]+$)[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex LabelPattern();
}
