using System.Collections.Concurrent;
using System.Globalization;

namespace Switchyard.Chaos;

/// <summary>Thread-safe counts by label.</summary>
internal sealed class CountMap
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string label, long n = 1) => _counts.AddOrUpdate(label, static (_, add) => add, static (_, v, add) => v + add, n);

    public long this[string label] => _counts.TryGetValue(label, out var v) ? v : 0;

    public long Total => _counts.Values.Sum();

    /// <summary>Largest first, then by label (numbers in numeric order).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Sorted() =>
        [.. _counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, LabelComparer.Instance)];

    /// <summary>By label (numbers in numeric order).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> ByLabel() =>
        [.. _counts.OrderBy(p => p.Key, LabelComparer.Instance)];

    /// <summary><c>a ×3, b ×1</c>, or <c>–</c> when empty.</summary>
    public string Describe(bool byLabel = false)
    {
        var items = byLabel ? ByLabel() : Sorted();
        return items.Count == 0 ? "–" : string.Join(", ", items.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} ×{p.Value}")));
    }

    /// <summary>Orders labels that are whole numbers numerically, before the others.</summary>
    private sealed class LabelComparer : IComparer<string>
    {
        public static readonly LabelComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var xn = long.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out var a);
            var yn = long.TryParse(y, NumberStyles.Integer, CultureInfo.InvariantCulture, out var b);
            return (xn, yn) switch
            {
                (true, true) => a.CompareTo(b),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(x, y),
            };
        }
    }
}
