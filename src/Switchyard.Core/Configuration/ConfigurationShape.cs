using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// Checks configuration against the option classes before the generated binder sees it. The binder stops at the
/// first problem and names no key path; this reports every unknown key, misshapen or out-of-range value with its
/// path, and rewrites what YAML users write (<c>30s</c>, <c>1_000</c>, <c>round_robin</c>, <c>env:NAME</c>) into
/// what the binder parses. Only values that pass are handed on, so binding itself cannot fail.
/// </summary>
internal sealed class ConfigurationShape(Func<string, string?> environment, List<string> errors)
{
    private static readonly ConfigValueAttribute s_plain = new();

    private readonly Dictionary<string, string?> _bindable = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string?> _converted = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string?> _into = null!;

    /// <summary>The checked values, for the binder; <see cref="ConfigValueAttribute.Converted"/> keys are left out.</summary>
    public IConfiguration Bindable => new ConfigurationBuilder().AddInMemoryCollection(_bindable).Build();

    /// <summary>The checked values of <see cref="ConfigValueAttribute.Converted"/> keys, for <see cref="ConfigLoader"/>'s own conversion.</summary>
    public IConfiguration Converted => new ConfigurationBuilder().AddInMemoryCollection(_converted).Build();

    public void Check(IConfiguration configuration, Type type)
    {
        _into = _bindable;
        CheckKeys(configuration.GetChildren(), type, "");
    }

    /// <summary>The configuration keys of a type, in declaration order.</summary>
    public static Dictionary<string, PropertyInfo> KeysOf(Type type)
    {
        var keys = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<ConfigurationKeyNameAttribute>() is { } key)
            {
                keys[key.Name] = property;
            }
        }

        return keys;
    }

    private void CheckKeys(IEnumerable<IConfigurationSection> children, Type type, string path)
    {
        var keys = KeysOf(type);
        foreach (var child in children)
        {
            if (!keys.TryGetValue(child.Key, out var property))
            {
                errors.Add($"{Join(path, child.Key)}: unknown key (expected one of {string.Join(", ", keys.Keys)}).");
                continue;
            }

            // Named as declared: a key set only by SWITCHYARD_SERVER__URLS arrives upper case.
            var childPath = Join(path, property.GetCustomAttribute<ConfigurationKeyNameAttribute>()!.Name);

            var value = property.GetCustomAttribute<ConfigValueAttribute>() ?? s_plain;
            var into = _into;
            _into = value.Converted ? _converted : _into;
            CheckValue(child, value.Shape ?? property.PropertyType, value, childPath);
            _into = into;
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private void CheckValue(IConfigurationSection section, Type type, ConfigValueAttribute value, string path)
    {
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        if (generic == typeof(Dictionary<,>))
        {
            if (section.Value is { Length: > 0 })
            {
                errors.Add($"{path}: must be a mapping of names, not a single value.");
            }

            foreach (var entry in section.GetChildren())
            {
                var entryPath = $"{path}.{entry.Key}";
                var entryType = type.GetGenericArguments()[1];
                if (entryType.IsClass && entryType != typeof(string))
                {
                    CheckMapping(entry, entryType, entryPath);
                }
                else if (entryType != typeof(string))
                {
                    CheckScalar(entry, Nullable.GetUnderlyingType(entryType) ?? entryType, s_plain, entryPath);
                }
                else if (entry.Value is null)
                {
                    errors.Add($"{entryPath}: must be a string.");
                }
                else if ((value.Secret ? Resolve(entry.Value, entryPath) : entry.Value) is { } text)
                {
                    _into[entry.Path] = text;
                }
            }
        }
        else if (generic == typeof(List<>))
        {
            CheckList(section, type.GetGenericArguments()[0], value, path);
        }
        else if (type.IsEnum && type.IsDefined(typeof(FlagsAttribute)))
        {
            CheckFlags(section, type, path);
        }
        else if (type.IsClass && type != typeof(string) && type != typeof(Uri))
        {
            CheckMapping(section, type, path);
        }
        else
        {
            CheckScalar(section, Nullable.GetUnderlyingType(type) ?? type, value, path);
        }
    }

    private void CheckMapping(IConfigurationSection section, Type type, string path)
    {
        if (section.Value is { Length: > 0 })
        {
            var keys = KeysOf(type).Keys.ToList();
            errors.Add($"{path}: must be a mapping with {(keys.Count > 1 ? $"{string.Join(", ", keys[..^1])} and " : "")}{keys[^1]}.");
        }

        var written = _into.Count;
        CheckKeys(section.GetChildren(), type, path);

        // An empty mapping still names its entry (model_groups.x: {}), and a list item none of whose values
        // passed still holds its place, so the later items keep the indices the messages use.
        if (_into.Count == written)
        {
            _into[section.Path] = "";
        }
    }

    private void CheckList(IConfigurationSection section, Type itemType, ConfigValueAttribute value, string path)
    {
        var items = section.GetChildren().ToList();
        if (itemType != typeof(string))
        {
            if (section.Value is { Length: > 0 })
            {
                errors.Add($"{path}: must be a list of mappings with {string.Join(", ", KeysOf(itemType).Keys)}.");
            }

            foreach (var item in items)
            {
                CheckMapping(item, itemType, $"{path}[{item.Key}]");
            }

            return;
        }

        if (section.Value is { Length: > 0 } && !value.CommaList)
        {
            errors.Add($"{path}: must be a list, not a single value.");
            return;
        }

        var texts = section.Value is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(t => (Path: path, Text: (string?)t))
            : items.Select(i => (Path: $"{path}[{i.Key}]", Text: i.GetChildren().Any() ? null : i.Value?.Trim() ?? ""));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var (itemPath, text) in texts)
        {
            if (text is null)
            {
                errors.Add($"{itemPath}: must be a single value, not a list or mapping.");
            }
            else if (value.CommaList && text.Length == 0)
            {
                errors.Add($"{path}: names must be non-empty strings.");
            }
            else if (!value.CommaList || seen.Add(text))
            {
                _into[$"{section.Path}:{index++}"] = text;
            }
        }
    }

    /// <summary>A list of names (<c>[metrics, ready]</c>) for a flags enum, bound as the binder's <c>"Metrics, Ready"</c>.</summary>
    private void CheckFlags(IConfigurationSection section, Type type, string path)
    {
        var names = string.Join(", ", Enum.GetValues(type).Cast<Enum>().Where(v => Convert.ToInt64(v, CultureInfo.InvariantCulture) != 0).Select(SnakeCase));
        if (section.Value is { Length: > 0 } single)
        {
            errors.Add($"{path}: must be a list (for example [{names}]), not '{single}'.");
            return;
        }

        var flags = new List<string>();
        foreach (var item in section.GetChildren())
        {
            if (ParseEnum(item.Value, type) is { } flag)
            {
                flags.Add(flag);
            }
            else
            {
                errors.Add($"{path}[{item.Key}]: '{item.Value?.Trim()}' is not one of {names}.");
            }
        }

        if (flags.Count > 0)
        {
            _into[section.Path] = string.Join(", ", flags);
        }
    }

    private void CheckScalar(IConfigurationSection section, Type type, ConfigValueAttribute value, string path)
    {
        if (section.Value is null && section.GetChildren().Any())
        {
            errors.Add($"{path}: must be a single value, not a list or mapping.");
            return;
        }

        if (section.Value?.Trim() is not { Length: > 0 } text || (value.Secret ? Resolve(text, path) : text) is not { } resolved)
        {
            return;
        }

        var (normalized, problem) = Normalize(resolved, type, value);
        if (normalized is not null)
        {
            _into[section.Path] = normalized;
        }
        else
        {
            // Secret values never appear in a message.
            errors.Add($"{path}: {(value.Secret ? "not a valid value." : value.Invalid is { } format ? string.Format(CultureInfo.InvariantCulture, format, resolved) : problem)}");
        }
    }

    /// <summary>The value as the binder parses it, or what is wrong with it.</summary>
    private static (string? Value, string? Problem) Normalize(string text, Type type, ConfigValueAttribute value)
    {
        if (type == typeof(string))
        {
            return (text, null);
        }

        if (type == typeof(bool))
        {
            return bool.TryParse(text, out var b) ? (b.ToString(), null) : (null, $"'{text}' is not true or false.");
        }

        if (type == typeof(TimeSpan))
        {
            return ConfigLoader.TryParseDuration(text, out var t)
                ? (t.ToString("c", CultureInfo.InvariantCulture), null)
                : (null, $"'{text}' is not a duration (seconds, or a number with ms, s, m, h or d).");
        }

        if (type == typeof(int) || type == typeof(long))
        {
            var (min, max) = WholeRange(type, value);
            return !long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? (null, $"'{text}' is not a whole number.")
                : n < min || n > max ? (null, $"{n} is out of range ({min}..{max}).")
                : ((n * value.Unit).ToString(CultureInfo.InvariantCulture), null);
        }

        if (type == typeof(double))
        {
            // Without a stated range a fraction is a probability.
            var (min, max) = (double.IsNaN(value.Min) ? 0 : value.Min, double.IsNaN(value.Max) ? 1 : value.Max);
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d >= min && d <= max && !(value.MinExclusive && d <= min)
                ? (d.ToString("R", CultureInfo.InvariantCulture), null)
                : (null, $"'{text}' is not a probability between 0 and 1.");
        }

        if (type == typeof(decimal))
        {
            return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var m) && m >= 0
                ? (m.ToString(CultureInfo.InvariantCulture), null)
                : (null, $"'{text}' is not a non-negative number.");
        }

        if (type.IsEnum)
        {
            return ParseEnum(text, type) is { } member ? (member, null) : (null, $"'{text}' is not one of {string.Join(", ", Enum.GetValues(type).Cast<Enum>().Select(SnakeCase))}.");
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out _) ? (text, null) : (null, $"'{text}' is not a URL.");
        }

        throw new InvalidOperationException($"No configuration conversion for {type}.");
    }

    private static (long Min, long Max) WholeRange(Type type, ConfigValueAttribute value) =>
        (double.IsNaN(value.Min) ? (type == typeof(int) ? int.MinValue : long.MinValue) : (long)value.Min,
         double.IsNaN(value.Max) ? (type == typeof(int) ? int.MaxValue : long.MaxValue) : (long)value.Max);

    /// <summary><c>round_robin</c>, <c>round-robin</c> and <c>RoundRobin</c> name the same member; numbers name none.</summary>
    private static string? ParseEnum(string? text, Type type)
    {
        var name = text?.Trim().Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal);
        return name is { Length: > 0 } && char.IsAsciiLetter(name[0]) && !name.Contains(',', StringComparison.Ordinal) && Enum.TryParse(type, name, ignoreCase: true, out var member)
            ? member.ToString()
            : null;
    }

    private static string SnakeCase(Enum member) =>
        string.Concat(member.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? $"_{char.ToLowerInvariant(c)}" : char.ToLowerInvariant(c).ToString()));

    /// <summary><c>env:NAME</c> reads the variable NAME; anything else is taken literally. Values never appear in errors.</summary>
    private string? Resolve(string value, string path)
    {
        if (!value.StartsWith("env:", StringComparison.Ordinal))
        {
            return value;
        }

        var name = value[4..].Trim();
        if (environment(name) is not { Length: > 0 } resolved)
        {
            errors.Add($"{path}: refers to the environment variable {name}, which is not set.");
            return null;
        }

        return resolved;
    }
}
