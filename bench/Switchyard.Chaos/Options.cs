using System.Globalization;

namespace Switchyard.Chaos;

/// <summary>Command-line options: <c>--name value</c> pairs; a <c>--name</c> followed by another option (or nothing) is a flag.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new ArgumentException($"expected --name [value], got '{arg}'");
            }

            var name = arg[2..];
            var eq = name.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                options._values[name[..eq]] = name[(eq + 1)..];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options._values[name] = args[++i];
            }
            else
            {
                options._values[name] = "true";
            }
        }

        return options;
    }

    public string Required(string name) =>
        Optional(name) ?? throw new ArgumentException($"--{name} is required");

    public string String(string name, string fallback) => Optional(name) ?? fallback;

    public string? Optional(string name)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    public int Int(string name, int fallback) => Optional(name) is { } v ? ParseInt(name, v) : fallback;

    public double Double(string name, double fallback)
    {
        if (Optional(name) is not { } v)
        {
            return fallback;
        }

        return double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw new ArgumentException($"--{name}: '{v}' is not a number");
    }

    public double? OptionalDouble(string name) => Optional(name) is null ? null : Double(name, 0);

    public bool Flag(string name) => Optional(name) is { } v && v is not ("false" or "0" or "no");

    /// <summary>Throws on options that no code path asked for, so a typo never silently falls back to a default.</summary>
    public void RejectUnknown()
    {
        foreach (var name in _values.Keys)
        {
            if (!_read.Contains(name))
            {
                throw new ArgumentException($"unknown option --{name}");
            }
        }
    }

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"--{name}: '{value}' is not a whole number");
}
