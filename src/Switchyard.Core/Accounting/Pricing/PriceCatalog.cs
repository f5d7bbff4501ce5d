using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Switchyard.Accounting.Pricing;

/// <summary>
/// The prices the gateway knows: the catalogue shipped inside the assembly plus operator overrides.
/// <see cref="TryFind"/> runs once per gateway call, so names are indexed in frozen dictionaries and each
/// (provider, model) pair the gateway has seen is answered from a cache after the first time.
/// </summary>
internal sealed partial class PriceCatalog
{
    /// <summary>The manifest name of the shipped <c>prices.yaml</c>.</summary>
    public const string ResourceName = "Switchyard.Accounting.Pricing.prices.yaml";

    // Model names come from clients and upstream responses, so the cache must not grow without bound
    // when someone sends a million distinct names; past this, misses are resolved without being kept.
    private const int MaxCachedPairs = 10_000;

    private static readonly Lazy<IReadOnlyList<PriceEntry>> s_shipped = new(LoadShipped);

    private readonly FrozenDictionary<string, PriceEntry> _byProviderModel;
    private readonly FrozenDictionary<string, PriceEntry> _byModel;
    private readonly FrozenDictionary<string, PriceEntry> _byProviderAlias;
    private readonly FrozenDictionary<string, PriceEntry> _byAlias;
    private readonly FrozenSet<string> _providers;
    private readonly ConcurrentDictionary<(string Provider, string Model), PriceEntry?> _cache = new();
    private int _cachedPairs;

    private PriceCatalog(IReadOnlyList<PriceEntry> entries)
    {
        Entries = entries;

        // Entries arrive in priority order (overrides first, then file order), and the first entry to
        // claim a name keeps it, so a model-only lookup is deterministic: openai's gpt-4o before azure's.
        var byProviderModel = new Dictionary<string, PriceEntry>(StringComparer.OrdinalIgnoreCase);
        var byModel = new Dictionary<string, PriceEntry>(StringComparer.OrdinalIgnoreCase);
        var byProviderAlias = new Dictionary<string, PriceEntry>(StringComparer.OrdinalIgnoreCase);
        var byAlias = new Dictionary<string, PriceEntry>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            byModel.TryAdd(entry.Model, entry);
            if (entry.Provider is not null)
            {
                byProviderModel.TryAdd(Key(entry.Provider, entry.Model), entry);
            }

            foreach (var alias in entry.Aliases)
            {
                byAlias.TryAdd(alias, entry);
                if (entry.Provider is not null)
                {
                    byProviderAlias.TryAdd(Key(entry.Provider, alias), entry);
                }
            }
        }

        _byProviderModel = byProviderModel.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byModel = byModel.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byProviderAlias = byProviderAlias.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _byAlias = byAlias.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _providers = entries.Where(e => e.Provider is not null).Select(e => e.Provider!).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalogue shipped inside the assembly (<see cref="ResourceName"/>), parsed once.</summary>
    public static IReadOnlyList<PriceEntry> Shipped => s_shipped.Value;

    /// <summary>Every entry in effect, overrides first.</summary>
    public IReadOnlyList<PriceEntry> Entries { get; }

    /// <summary>
    /// The shipped catalogue with <paramref name="overrides"/> on top. An override with a provider replaces
    /// that provider's entry for the model; one without a provider replaces the model for every provider,
    /// since an operator who writes just a model name means the price they actually pay for it.
    /// </summary>
    public static PriceCatalog Create(IEnumerable<PriceEntry> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var first = overrides.ToList();
        var merged = new List<PriceEntry>(first);
        foreach (var entry in Shipped)
        {
            var replaced = first.Any(o => o.Model.Equals(entry.Model, StringComparison.OrdinalIgnoreCase)
                && (o.Provider is null || o.Provider.Equals(entry.Provider, StringComparison.OrdinalIgnoreCase)));
            if (!replaced)
            {
                merged.Add(entry);
            }
        }

        return new PriceCatalog(merged);
    }

    /// <summary>
    /// Finds the price for a model, trying in order: exact (provider, model); the model under any provider;
    /// aliases; the model without a trailing date or version (<c>gpt-4o-2024-08-06</c>, <c>-latest</c>);
    /// the model without a <c>provider/</c> or <c>models/</c> prefix. Case-insensitive.
    /// </summary>
    public bool TryFind(string? provider, string? model, [NotNullWhen(true)] out PriceEntry? price)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            price = null;
            return false;
        }

        var key = (provider ?? "", model);
        if (!_cache.TryGetValue(key, out price))
        {
            price = Resolve(string.IsNullOrWhiteSpace(provider) ? null : provider.Trim(), model.Trim());
            if (Interlocked.Increment(ref _cachedPairs) <= MaxCachedPairs)
            {
                _cache.TryAdd(key, price);
            }
        }

        return price is not null;
    }

    private PriceEntry? Resolve(string? provider, string model)
    {
        var name = model;
        while (true)
        {
            if (Match(provider, name) is { } found)
            {
                return found;
            }

            var slash = name.IndexOf('/', StringComparison.Ordinal);
            if (slash < 0 || slash == name.Length - 1)
            {
                return null;
            }

            // "azure/gpt-4o" or "anthropic/claude-sonnet-4-5" (as routers spell them) say whose model it is
            // more precisely than the deployment's provider does, so a prefix naming a known provider wins.
            var prefix = name[..slash];
            if (_providers.Contains(prefix))
            {
                provider = prefix;
            }

            name = name[(slash + 1)..];
        }
    }

    private PriceEntry? Match(string? provider, string name)
    {
        if ((Exact(provider, name) ?? Alias(provider, name)) is { } found)
        {
            return found;
        }

        var stripped = StripVersion(name);
        return stripped.Length == name.Length ? null : Exact(provider, stripped) ?? Alias(provider, stripped);
    }

    private PriceEntry? Exact(string? provider, string name) =>
        (provider is not null && _byProviderModel.TryGetValue(Key(provider, name), out var entry)) || _byModel.TryGetValue(name, out entry) ? entry : null;

    private PriceEntry? Alias(string? provider, string name) =>
        (provider is not null && _byProviderAlias.TryGetValue(Key(provider, name), out var entry)) || _byAlias.TryGetValue(name, out entry) ? entry : null;

    /// <summary>Removes dated-snapshot and pointer suffixes, repeatedly (<c>-2024-08-06</c>, <c>-20241022</c>, <c>-0125</c>, <c>@20240620</c>, <c>-latest</c>).</summary>
    private static string StripVersion(string name)
    {
        var current = name;
        while (VersionSuffix().Match(current) is { Success: true } match && match.Index > 0)
        {
            current = current[..match.Index];
        }

        return current;
    }

    private static string Key(string provider, string name) => string.Concat(provider, "\0", name);

    private static IReadOnlyList<PriceEntry> LoadShipped()
    {
        using var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The price catalogue resource {ResourceName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return PriceFile.Parse(reader.ReadToEnd(), "prices.yaml (shipped)");
    }

    [GeneratedRegex(@"(?:-\d{4}-\d{2}-\d{2}|-\d{8}|-\d{4}|@\d{8}|-latest)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VersionSuffix();
}
