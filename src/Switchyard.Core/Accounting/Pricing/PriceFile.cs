using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Accounting.Pricing;

/// <summary>
/// Reads a price file: a <c>prices</c> list of models, each with USD-per-million-token prices and the
/// vendor page and date they were taken from. The same format serves the shipped catalogue and operator
/// overrides, so every problem is reported with its path (<c>prices[3].output</c>) in one exception.
/// </summary>
internal static class PriceFile
{
    private static readonly string[] s_entryKeys = ["model", "provider", "input", "cached_input", "cache_write", "output", "reasoning", "aliases", "source", "date"];

    /// <summary>Parses <paramref name="yaml"/>; <paramref name="sourceName"/> only names the file in messages. Throws <see cref="PriceFileException"/>.</summary>
    public static IReadOnlyList<PriceEntry> Parse(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new PriceFileException(sourceName, [$"YAML syntax error at line {ex.Start.Line}, column {ex.Start.Column}: {ex.InnerException?.Message ?? ex.Message}"]);
        }

        if (stream.Documents.Count == 0 || IsNull(stream.Documents[0].RootNode))
        {
            return [];
        }

        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new PriceFileException(sourceName, ["(top level): must be a mapping with a 'prices' list."]);
        }

        var errors = new List<string>();
        YamlNode? prices = null;
        foreach (var (key, value) in root.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (name.Equals("prices", StringComparison.OrdinalIgnoreCase))
            {
                prices = value;
            }
            else
            {
                errors.Add($"{name}: unknown key (expected prices).");
            }
        }

        var entries = new List<PriceEntry>();
        switch (prices)
        {
            case null:
                errors.Add("prices: required: the list of models and their prices.");
                break;
            case YamlSequenceNode sequence:
                ReadEntries(sequence, entries, errors);
                break;
            case var node when IsNull(node):
                break;
            default:
                errors.Add("prices: must be a list of models.");
                break;
        }

        if (errors.Count > 0)
        {
            throw new PriceFileException(sourceName, errors);
        }

        return entries;
    }

    private static void ReadEntries(YamlSequenceNode sequence, List<PriceEntry> entries, List<string> errors)
    {
        // Keyed by "provider\0name" so two vendors may list the same model, but one vendor may not
        // list a name twice: which of the two prices applies would depend on file order.
        var claimed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"prices[{i}]";
            if (sequence.Children[i] is not YamlMappingNode mapping)
            {
                errors.Add($"{path}: must be a mapping (model, input, output, source, date, ...).");
                continue;
            }

            var before = errors.Count;
            foreach (var key in mapping.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? "";
                if (!s_entryKeys.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    errors.Add($"{path}.{name}: unknown key (expected one of {string.Join(", ", s_entryKeys)}).");
                }
            }

            var model = Text(mapping, "model", path, errors);
            if (model is null && IsMissing(mapping, "model"))
            {
                errors.Add($"{path}.model: required: the model name as the provider's API reports it.");
            }

            var provider = Text(mapping, "provider", path, errors)?.ToLowerInvariant();
            var input = Price(mapping, "input", path, required: true, errors);
            var cachedInput = Price(mapping, "cached_input", path, required: false, errors);
            var cacheWrite = Price(mapping, "cache_write", path, required: false, errors);
            var output = Price(mapping, "output", path, required: true, errors);
            var reasoning = Price(mapping, "reasoning", path, required: false, errors);
            var source = Text(mapping, "source", path, errors);
            if (source is null && IsMissing(mapping, "source"))
            {
                errors.Add($"{path}.source: required: where the price was taken from (the vendor's pricing page).");
            }

            var date = Text(mapping, "date", path, errors);
            if (date is null && IsMissing(mapping, "date"))
            {
                errors.Add($"{path}.date: required: when the price was taken (YYYY-MM-DD).");
            }
            else if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                errors.Add($"{path}.date: '{date}' is not a date (YYYY-MM-DD).");
            }

            var aliases = Aliases(mapping, path, errors);
            if (model is not null)
            {
                Claim(claimed, provider, model, path, $"{path}.model", errors);
            }

            for (var j = 0; j < aliases.Count; j++)
            {
                Claim(claimed, provider, aliases[j], path, $"{path}.aliases[{j}]", errors);
            }

            if (errors.Count > before)
            {
                continue;
            }

            entries.Add(new PriceEntry(model!, provider, input!.Value, cachedInput ?? input.Value, cacheWrite ?? input.Value, output!.Value, reasoning, source!, date!)
            {
                Aliases = aliases,
            });
        }
    }

    private static void Claim(Dictionary<string, string> claimed, string? provider, string name, string owner, string path, List<string> errors)
    {
        var key = $"{provider}\0{name}";
        if (claimed.TryGetValue(key, out var existing))
        {
            errors.Add($"{path}: '{name}' is already listed at {existing}{(provider is null ? "" : $" for provider {provider}")}.");
            return;
        }

        claimed[key] = owner;
    }

    private static List<string> Aliases(YamlMappingNode mapping, string path, List<string> errors)
    {
        var aliases = new List<string>();
        var node = Child(mapping, "aliases");
        if (node is null || IsNull(node))
        {
            return aliases;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add($"{path}.aliases: must be a list of model names.");
            return aliases;
        }

        for (var j = 0; j < sequence.Children.Count; j++)
        {
            if (sequence.Children[j] is YamlScalarNode { Value: { } value } && value.Trim().Length > 0 && !IsNull(sequence.Children[j]))
            {
                aliases.Add(value.Trim());
            }
            else
            {
                errors.Add($"{path}.aliases[{j}]: must be a model name.");
            }
        }

        return aliases;
    }

    private static decimal? Price(YamlMappingNode mapping, string key, string path, bool required, List<string> errors)
    {
        var text = Text(mapping, key, path, errors);
        if (text is null)
        {
            if (required && IsMissing(mapping, key))
            {
                errors.Add($"{path}.{key}: required: USD per million tokens.");
            }

            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add($"{path}.{key}: '{text}' is not a number.");
            return null;
        }

        if (value < 0)
        {
            errors.Add($"{path}.{key}: {text} is negative; a price cannot be below 0.");
            return null;
        }

        return value;
    }

    /// <summary>A trimmed scalar, or null when absent or empty; a list or mapping where a value belongs is an error.</summary>
    private static string? Text(YamlMappingNode mapping, string key, string path, List<string> errors)
    {
        var node = Child(mapping, key);
        if (node is null || IsNull(node))
        {
            return null;
        }

        if (node is not YamlScalarNode scalar)
        {
            errors.Add($"{path}.{key}: must be a single value, not a list or mapping.");
            return null;
        }

        var value = scalar.Value?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>Absent or empty, as opposed to present with the wrong shape (already reported by <see cref="Text"/>).</summary>
    private static bool IsMissing(YamlMappingNode mapping, string key) => Child(mapping, key) is null or YamlScalarNode;

    private static YamlNode? Child(YamlMappingNode mapping, string key)
    {
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" };
}
