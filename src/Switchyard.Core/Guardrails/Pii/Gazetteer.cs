using System.Collections.Frozen;
using System.Reflection;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// The name and place lists built by eng/build-gazetteers.cs from public data (see Data/README.md), embedded
/// in the assembly and read once, on first use. Look-ups ignore case, so "PARIS" and "Paris" both match.
/// </summary>
internal sealed class Gazetteer
{
    private static readonly Lazy<Gazetteer> s_shared = new(() => new Gazetteer(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _first;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _last;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _places;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _common;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _major;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _english;

    private Gazetteer()
    {
        _first = Load("first-names.txt");
        _last = Load("last-names.txt");
        _places = Load("locations.txt");
        _common = Load("common-words.txt");
        _major = Load("major-places.txt");
        _english = Load("english-words.txt");
    }

    public static Gazetteer Shared => s_shared.Value;

    public bool IsFirstName(ReadOnlySpan<char> token) => _first.Contains(token);

    public bool IsLastName(ReadOnlySpan<char> token) => _last.Contains(token);

    public bool IsPlace(ReadOnlySpan<char> phrase) => _places.Contains(phrase);

    /// <summary>True for a country, continent, first-level division or city of at least 100,000 people.</summary>
    public bool IsMajorPlace(ReadOnlySpan<char> phrase) => _major.Contains(phrase);

    /// <summary>True for an everyday lower-case English word that is not a listed name or place ("ignore", "maximum").</summary>
    public bool IsEnglishWord(ReadOnlySpan<char> token) => _english.Contains(token);

    /// <summary>True for a listed name that is also an everyday lower-case English word ("will", "nice").</summary>
    public bool IsCommonWord(ReadOnlySpan<char> token) => _common.Contains(token);

    private static FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Load(string file)
    {
        Assembly assembly = typeof(Gazetteer).Assembly;
        string name = "Switchyard.Guardrails.Pii.Data." + file;
        Stream stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded gazetteer {name} is missing.");
        var entries = new List<string>();
        using (var reader = new StreamReader(stream))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0)
                {
                    entries.Add(line);
                }
            }
        }

        return entries.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }
}
