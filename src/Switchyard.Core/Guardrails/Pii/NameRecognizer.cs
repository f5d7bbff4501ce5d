using System.Globalization;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// People's names and places. The text is cut into words; runs of capitalised words (with initials such as
/// "M." and name particles such as "van" or "de" inside) are looked up in the public-data gazetteers
/// (<see cref="Gazetteer"/>), and each run is scored from what it holds (a known first name followed by more
/// capitalised words, a surname, a listed place, a place word such as "Park" or "River" at its end) and from
/// the words before it ("Mr.", "my name is", "Dr." for people; "in", "from", "near", "born in" for places).
/// A listed name that is also an everyday English word ("Will", "Rose"), or that opens a sentence, needs a
/// context word or a second name beside it.
/// </summary>
/// <remarks>Runs are capped at <see cref="MaxRun"/> words, so the work per word is bounded.</remarks>
internal sealed class NameRecognizer : IPiiRecognizer
{
    private const int MaxRun = 6;
    private const int MaxPlaceWords = 4;

    private static readonly string[] s_personCues =
    [
        "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lady", "lord", "name is", "name's",
        "i am", "i'm", "name", "dear", "hi", "hello", "thanks", "signed", "son", "daughter", "wife", "husband", "father",
        "mother", "brother", "sister", "uncle", "aunt", "coach", "president", "senator", "minister", "by", "contact",
        "called", "named", "ask", "tell", "meet", "colleague", "manager", "patient", "client", "customer", "said", "says",
        "told", "asked", "wrote", "producer", "director", "captain", "major", "general", "colonel", "lieutenant",
        "sergeant", "governor", "mayor", "judge", "king", "queen", "prince", "princess", "saint", "officer", "kid",
    ];

    private static readonly string[] s_placeCues =
    [
        "in", "from", "at", "to", "near", "into", "across", "visit", "visited", "visiting", "via", "towards", "toward",
        "outside", "around", "between", "and", "of", "lives in", "born in", "based in", "moved to", "city of", "state of",
    ];

    // Cues after which an unlisted capitalised word is still taken: they nearly always introduce a name or place.
    private static readonly string[] s_strongPersonCues =
    [
        "name is", "name", "mr", "mrs", "ms", "dr", "prof", "i'm", "i’m", "i am", "hi", "dear", "signed", "producer",
        "director", "captain", "major", "general", "colonel", "lieutenant", "sergeant", "president", "senator",
        "minister", "governor", "mayor", "judge", "king", "queen", "prince", "princess", "saint", "under", "said", "says",
    ];

    private static readonly string[] s_strongPlaceCues =
    [
        "lives in", "live in", "living in", "born in", "based in", "located in", "moved to", "moving to", "travelling to",
        "traveling to", "flying to", "flew to", "arrived at", "arrived in", "originally from", "from", "i am in", "i'm in",
        "city of", "town of", "village of", "near", "in",
    ];

    private static readonly string[] s_placeWords =
    [
        "Park", "Street", "St", "Avenue", "Road", "Square", "Stadium", "Station", "River", "Lake", "Mountain",
        "Mountains", "Island", "Islands", "Bay", "Valley", "County", "City", "Province", "Airport", "Bridge", "Hill",
        "Hills", "Beach", "Place", "Way", "Boulevard", "Lane", "Drive", "Harbour", "Harbor", "Forest", "Desert",
        "Coast", "Peninsula", "Sea", "Ocean", "Canyon", "Falls", "Gulf", "Strait", "Heights", "District", "Region",
        "Republic", "Kingdom", "Township", "Village", "Castle", "Cathedral", "Church", "Temple", "Palace", "Penitentiary",
    ];

    private static readonly string[] s_particles = ["van", "von", "de", "der", "den", "da", "das", "do", "dos", "del", "della", "di", "du", "la", "le", "bin", "ibn", "al", "ter", "y"];

    private readonly Gazetteer? _gazetteer;

    public NameRecognizer()
    {
    }

    internal NameRecognizer(Gazetteer gazetteer)
    {
        _gazetteer = gazetteer;
    }

    public IReadOnlyList<string> Types { get; } = [PiiTypes.Person, PiiTypes.Location];

    private readonly record struct Word(int Start, int End, bool Capitalised, bool Initial, bool JoinedToPrevious, bool Possessive);

    public void Find(string text, List<PiiEntity> results)
    {
        Gazetteer gazetteer = _gazetteer ?? Gazetteer.Shared;
        var words = new List<Word>();
        Tokenise(text, words);
        int i = 0;
        while (i < words.Count)
        {
            if (!words[i].Capitalised || words[i].Initial && !StartsName(words, i))
            {
                i = words[i].Capitalised ? i + 1 : TryLowerCaseName(text, words, i, gazetteer, results);
                continue;
            }

            int j = i;
            while (j + 1 < words.Count && j - i + 1 < MaxRun && words[j + 1].JoinedToPrevious && !words[j].Possessive
                && (words[j + 1].Capitalised || (IsParticle(text, words[j + 1]) && j + 2 < words.Count && words[j + 2].Capitalised && words[j + 2].JoinedToPrevious)))
            {
                j++;
            }

            // A run ends on a capitalised word, not on a particle or an initial's dot.
            while (j > i && !words[j].Capitalised)
            {
                j--;
            }

            int first = i;
            // A capitalised sentence opener or greeting ("Hi Freddy", "My Aunt") is not part of the name.
            while (first < j && IsOpener(text, words[first]))
            {
                first++;
            }

            if (!(first == j && IsOpener(text, words[first])) && !AfterNumber(text, words[first].Start))
            {
                Judge(text, words, first, j, gazetteer, results);
            }

            i = j + 1;
        }
    }

    private static readonly string[] s_openers =
    [
        "the", "a", "an", "hi", "hello", "hey", "dear", "my", "our", "your", "this", "that", "these", "those", "please",
        "thanks", "thank", "in", "on", "at", "from", "to", "for", "and", "but", "or", "if", "when", "while", "after",
        "before", "during", "since", "as", "by", "with", "i", "we", "you", "he", "she", "they", "it", "his", "her",
        "their", "its", "mr", "mrs", "ms", "dr", "prof", "name", "born", "says", "said", "where", "when", "who", "what",
        "is", "are", "was", "can", "could", "would", "should", "will", "do", "does", "did", "not", "no", "yes", "so",
        "then", "there", "here", "also", "user", "bot", "address", "phone", "email", "mobile", "desk", "fax", "date",
        "billing", "subject", "re", "fwd", "ok", "okay", "sir", "madam", "team", "all", "every", "each", "some", "any",
        "i'm", "i’m", "maybe", "unlike", "like", "producer", "director", "professor", "captain", "major", "general",
        "colonel", "lieutenant", "sergeant", "president", "senator", "minister", "governor", "mayor", "judge", "king",
        "queen", "prince", "princess", "saint", "father", "brother", "sister", "uncle", "aunt", "coach", "officer",
    ];

    private static readonly string[] s_calendar =
    [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Christmas", "Easter",
    ];

    private static bool IsOpener(string text, Word w) => Is(text, w, s_openers, StringComparison.OrdinalIgnoreCase);

    private static bool Is(string text, Word w, string[] list, StringComparison comparison)
    {
        ReadOnlySpan<char> s = text.AsSpan(w.Start, w.End - w.Start);
        foreach (string item in list)
        {
            if (s.Equals(item, comparison))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True after a house number on the same line ("1317 Kimberly Way"): a street, not a name or a town.</summary>
    private static bool AfterNumber(string text, int start)
    {
        int k = start - 1;
        while (k >= 0 && text[k] is ' ' or '\t')
        {
            k--;
        }

        return k >= 0 && TextScan.IsAsciiDigit(text[k]);
    }

    private static readonly string[] s_introductions = ["name is", "name", "i'm", "i’m", "i am", "this is"];

    /// <summary>
    /// People who type in lower case still introduce themselves: after "my name is" or "name:", a listed first
    /// name and up to two more words on the line are a person. Returns the index of the next word to look at.
    /// </summary>
    private static int TryLowerCaseName(string text, List<Word> words, int i, Gazetteer g, List<PiiEntity> results)
    {
        Word w = words[i];
        ReadOnlySpan<char> token = text.AsSpan(w.Start, w.End - w.Start);
        // The cue first, filtered on the previous word's length ("is", "name", "i'm", "am"): it is rarely
        // there, and this costs far less than a hash look-up for every lower-case word.
        int previousLength = i > 0 ? words[i - 1].End - words[i - 1].Start : 0;
        if (previousLength is < 2 or > 4 || !PreviousWordsAre(text, w.Start, s_introductions) || !g.IsFirstName(token) || g.IsCommonWord(token))
        {
            return i + 1;
        }

        int j = i;
        while (j + 1 < words.Count && j - i < 2 && words[j + 1].JoinedToPrevious && !words[j].Possessive
            && (g.IsLastName(text.AsSpan(words[j + 1].Start, words[j + 1].End - words[j + 1].Start)) || words[j + 1].End - words[j + 1].Start == 1))
        {
            j++;
        }

        while (j > i && words[j].End - words[j].Start == 1)
        {
            j--;
        }

        results.Add(new PiiEntity(PiiTypes.Person, w.Start, words[j].End - w.Start, 0.5));
        return j + 1;
    }

    private static bool StartsName(List<Word> words, int i) =>
        i + 1 < words.Count && words[i + 1].JoinedToPrevious && words[i + 1].Capitalised;

    private static bool IsParticle(string text, Word w)
    {
        ReadOnlySpan<char> s = text.AsSpan(w.Start, w.End - w.Start);
        foreach (string p in s_particles)
        {
            if (s.SequenceEqual(p))
            {
                return true;
            }
        }

        return false;
    }

    private static void Tokenise(string text, List<Word> words)
    {
        int i = 0;
        int previousEnd = -1;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || IsMark(text[i])
                || (text[i] is '-' or '\'' or '’' && i + 1 < text.Length && char.IsLetter(text[i + 1]))))
            {
                i++;
            }

            int end = i;
            bool possessive = false;
            if (end - start > 2 && text[end - 1] is 's' && text[end - 2] is '\'' or '’')
            {
                end -= 2;
                possessive = true;
            }

            // "M." and, between names, a bare "M" ("Ruth R Montez"); a bare "I" or "A" is a word.
            bool dotted = TextScan.IsCharAt(text, end, '.');
            bool initial = end - start == 1 && char.IsUpper(text[start])
                && (dotted || (text[start] is not ('I' or 'A') && TextScan.IsCharAt(text, end, ' ') && end + 1 < text.Length && char.IsUpper(text[end + 1])));
            bool joined = previousEnd >= 0 && IsJoin(text.AsSpan(previousEnd, start - previousEnd));
            bool capitalised = char.IsUpper(text[start]) && (end - start > 1 || initial);
            words.Add(new Word(start, end, capitalised, initial, joined, possessive));
            previousEnd = initial && dotted ? end + 1 : end;
            if (possessive || TextScan.IsCharAt(text, i, '\''))
            {
                previousEnd = -1;
            }
        }
    }

    private static bool IsMark(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;

    private static bool IsJoin(ReadOnlySpan<char> gap) => gap is " " or "  ";

    private static bool IsSentenceStart(string text, int start)
    {
        int k = start - 1;
        while (k >= 0 && text[k] is ' ' or '\t' or '"' or '\'' or '(' or '“' or '‘' or '*' or '-')
        {
            k--;
        }

        return k < 0 || text[k] is '.' or '!' or '?' or '\n' or '\r' or ':' or ';';
    }

    /// <summary>The lower-cased word (or two) before <paramref name="start"/>, for cue matching.</summary>
    private static bool PreviousWordsAre(string text, int start, ReadOnlySpan<string> cues)
    {
        int k = start - 1;
        while (k >= 0 && text[k] is ' ' or ',' or '\t' or ':')
        {
            k--;
        }

        if (k >= 0 && text[k] == '.')
        {
            k--; // "Mr. Smith", "Dr. Jones"
        }

        int end = k + 1;
        foreach (string cue in cues)
        {
            // An upper-case cue ("SELECT * FROM Users") is code or a heading, not a sentence.
            if (end >= cue.Length && text.AsSpan(end - cue.Length, cue.Length).Equals(cue, StringComparison.OrdinalIgnoreCase)
                && (end - cue.Length == 0 || !char.IsLetter(text[end - cue.Length - 1]))
                && (cue.Length == 1 || text.AsSpan(end - cue.Length, cue.Length).ContainsAnyInRange('a', 'z')))
            {
                return true;
            }
        }

        return false;
    }

    private static bool EndsWithPlaceWord(string text, Word last)
    {
        ReadOnlySpan<char> s = text.AsSpan(last.Start, last.End - last.Start);
        foreach (string w in s_placeWords)
        {
            if (s.SequenceEqual(w))
            {
                return true;
            }
        }

        return false;
    }

    private static void Judge(string text, List<Word> words, int a, int b, Gazetteer g, List<PiiEntity> results)
    {
        int start = words[a].Start;
        int end = words[b].End;
        ReadOnlySpan<char> span = text.AsSpan(start, end - start);
        bool personCue = PreviousWordsAre(text, start, s_personCues);
        bool placeCue = PreviousWordsAre(text, start, s_placeCues);
        bool strongPlaceCue = PreviousWordsAre(text, start, s_strongPlaceCues);
        bool strongPersonCue = PreviousWordsAre(text, start, s_strongPersonCues);
        bool sentenceStart = IsSentenceStart(text, start);
        int count = b - a + 1;

        if (count > MaxPlaceWords || !g.IsPlace(span))
        {
            // Not a place as a whole: look for a listed place at either end ("Lake Geneva Region" aside).
            if (TryPlaceInside(text, words, a, b, g, placeCue, results))
            {
                return;
            }
        }
        else
        {
            ReadOnlySpan<char> only = text.AsSpan(words[a].Start, words[a].End - words[a].Start);
            bool ambiguous = count == 1 && (g.IsCommonWord(only) || (sentenceStart && !placeCue) || (personCue && (g.IsFirstName(only) || g.IsLastName(only))));
            if (!ambiguous || placeCue)
            {
                results.Add(new PiiEntity(PiiTypes.Location, start, end - start, placeCue ? 0.8 : 0.65));
                return;
            }
        }

        if (count >= 2 && EndsWithPlaceWord(text, words[b]))
        {
            results.Add(new PiiEntity(PiiTypes.Location, start, end - start, placeCue ? 0.7 : 0.55));
            return;
        }

        if (count == 1 && Is(text, words[a], s_calendar, StringComparison.OrdinalIgnoreCase))
        {
            // "June", "August": listed first names, but far more often a month.
            return;
        }

        int firstWord = a;
        while (firstWord < b && words[firstWord].Initial)
        {
            firstWord++;
        }

        ReadOnlySpan<char> head = text.AsSpan(words[firstWord].Start, words[firstWord].End - words[firstWord].Start);
        ReadOnlySpan<char> tail = text.AsSpan(words[b].Start, words[b].End - words[b].Start);
        // In a mixed run ("DAN Mode", "NASA Johnson") an all-capitals word is an acronym, not a name.
        bool mixedCase = count >= 2 && IsAllCaps(text, words[firstWord]) != IsAllCaps(text, words[b]);
        bool headFirst = g.IsFirstName(head) && !(mixedCase && IsAllCaps(text, words[firstWord]));
        bool tailLast = g.IsLastName(tail) || g.IsFirstName(tail);
        if (count >= 2)
        {
            bool headCommon = g.IsCommonWord(head);
            if (!headFirst && !tailLast && !g.IsLastName(head))
            {
                // Two or three unknown capitalised words right after "my name is" / "Name:" or "born in".
                if (strongPersonCue && count <= 4)
                {
                    results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.55));
                }
                else if (strongPlaceCue && count <= 3 && !Is(text, words[a], s_calendar, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(new PiiEntity(PiiTypes.Location, start, end - start, 0.5));
                }

                return;
            }

            bool tailCommon = g.IsCommonWord(tail);
            if ((headFirst && !headCommon) || (headFirst && tailLast) || (tailLast && personCue) || (g.IsLastName(head) && tailLast && !headCommon)
                || (headFirst && !tailCommon && !IsAllCaps(text, words[b])))
            {
                double score = 0.55 + (headFirst && tailLast ? 0.2 : 0) + (personCue ? 0.1 : 0);
                results.Add(new PiiEntity(PiiTypes.Person, start, end - start, score));
            }

            return;
        }

        bool known = headFirst || g.IsLastName(head);
        if (!known)
        {
            // An unlisted short all-capitals word after "from" is an acronym ("from ATM"), not a town.
            // Nor is a language or nationality ("in English", "from Italian"), which these endings mark.
            bool acronym = IsAllCaps(text, words[a]) && words[a].End - words[a].Start <= 4;
            bool language = head.EndsWith("ish", StringComparison.Ordinal) || head.EndsWith("ese", StringComparison.Ordinal)
                || head.EndsWith("ian", StringComparison.Ordinal);
            if (strongPlaceCue && !acronym && !language && !Is(text, words[a], s_calendar, StringComparison.OrdinalIgnoreCase) && !g.IsCommonWord(head))
            {
                results.Add(new PiiEntity(PiiTypes.Location, start, end - start, 0.5));
            }
            else if (strongPersonCue)
            {
                results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.5));
            }

            return;
        }

        if (IsAllCaps(text, words[a]))
        {
            // A lone capitalised acronym ("MAC", "USA") is not taken for a person.
            return;
        }

        if (personCue)
        {
            results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.7));
        }
        else if (!g.IsCommonWord(head) && (headFirst || g.IsLastName(head)) && (!sentenceStart || FollowedByLowerWord(text, words, b)))
        {
            results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.45));
        }
    }

    private static bool FollowedByLowerWord(string text, List<Word> words, int b) =>
        (b + 1 < words.Count && words[b + 1].JoinedToPrevious && char.IsLower(text[words[b + 1].Start]))
        || TextScan.IsCharAt(text, words[b].End, ',');

    private static bool IsAllCaps(string text, Word w) =>
        w.End - w.Start > 1 && !text.AsSpan(w.Start, w.End - w.Start).ContainsAnyExcept(s_upper);

    private static readonly System.Buffers.SearchValues<char> s_upper =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ");

    /// <summary>Reports a listed place of up to four words at the start or the end of a longer run.</summary>
    private static bool TryPlaceInside(string text, List<Word> words, int a, int b, Gazetteer g, bool placeCue, List<PiiEntity> results)
    {
        if (b == a)
        {
            return false;
        }

        // "Ilocos Sur", "Bowling Green" sit inside the run as a whole; only take a part when the rest is
        // not a name ("Paris Hilton" stays one thing).
        for (int k = Math.Max(a + 1, b - MaxPlaceWords + 1); k <= b; k++)
        {
            ReadOnlySpan<char> part = text.AsSpan(words[k].Start, words[b].End - words[k].Start);
            if (g.IsPlace(part) && !g.IsCommonWord(part) && !g.IsFirstName(text.AsSpan(words[a].Start, words[a].End - words[a].Start))
                && !EndsWithPlaceWord(text, words[b]))
            {
                results.Add(new PiiEntity(PiiTypes.Location, words[k].Start, words[b].End - words[k].Start, 0.55));
                return true;
            }
        }

        return false;
    }
}
