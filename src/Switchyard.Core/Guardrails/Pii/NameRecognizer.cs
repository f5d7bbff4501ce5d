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
        "bishop", "fr", "rev", "reverend", "pope", "cardinal", "archbishop", "singer", "actor", "actress", "writer",
        "author", "poet", "painter", "artist", "engineer", "guitarist", "drummer", "pianist", "composer", "starring",
        "featuring", "with", "to", "warlords", "emperor", "chancellor", "chairman", "ceo", "founder",
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
        "bishop", "fr", "rev", "reverend", "pope", "cardinal", "archbishop", "singer", "actor", "actress", "writer",
        "author", "poet", "painter", "engineer", "guitarist", "drummer", "pianist", "composer", "starring", "featuring",
        "emperor", "chancellor", "chairman", "ceo", "founder", "priest",
    ];

    // Phrases that usually introduce a person's name, though less surely than a title: an everyday word after
    // them ("written by Hand") is left alone.
    private static readonly string[] s_authorCues =
    [
        "performed by", "written by", "directed by", "produced by", "composed by", "painted by", "sung by", "founded by",
        "led by", "played by", "designed by", "invented by", "discovered by", "authored by", "edited by", "illustrated by",
        "narrated by", "hosted by", "works of", "son of", "daughter of", "wife of", "husband of", "widow of", "née",
    ];

    private static readonly string[] s_strongPlaceCues =
    [
        "lives in", "live in", "living in", "born in", "based in", "located in", "moved to", "moving to", "travelling to",
        "traveling to", "flying to", "flew to", "arrived at", "arrived in", "originally from", "from", "i am in", "i'm in",
        "city of", "town of", "village of", "near", "in", "through", "leads to", "villagers of", "parish of", "province of",
        "region of", "county of", "district of", "suburb of", "outskirts of", "capital of", "present-day", "north of",
        "south of", "east of", "west of", "north to", "south to", "east to", "west to", "travelled to", "traveled to",
    ];

    private static readonly string[] s_placeWords =
    [
        "Park", "Street", "St", "Avenue", "Road", "Square", "Stadium", "Station", "River", "Lake", "Mountain",
        "Mountains", "Island", "Islands", "Bay", "Valley", "County", "City", "Province", "Airport", "Bridge", "Hill",
        "Hills", "Beach", "Place", "Way", "Boulevard", "Lane", "Drive", "Harbour", "Harbor", "Forest", "Desert",
        "Coast", "Peninsula", "Sea", "Ocean", "Canyon", "Falls", "Gulf", "Strait", "Heights", "District", "Region",
        "Republic", "Kingdom", "Township", "Village", "Castle", "Temple", "Palace", "Penitentiary", "Railroad", "Railway",
        "Highway", "Freeway", "Expressway", "Motorway", "Reservoir", "Field", "Playfield", "Pavilion", "Canal", "Creek",
        "Glacier", "Fjord", "Volcano", "Parish", "Borough", "Prefecture", "Oblast", "Plaza", "Terrace", "Crescent",
    ];

    // Words that open a place's name ("Lake Chad", "Camp Howe", "Fort Worth").
    private static readonly string[] s_placePrefixes = ["Lake", "Mount", "Mt", "Camp", "Fort", "Port", "Cape", "Isle", "Glen"];

    // Words before a listed place that make a larger place of it ("Southern Tunisia", "Old Goa", "East Java").
    private static readonly string[] s_regionPrefixes =
    [
        "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Upper", "Lower",
        "Greater", "Old", "New", "Inner", "Outer", "Northeast", "Northwest", "Southeast", "Southwest",
    ];

    // A run ending in one of these names an organisation ("Dave Matthews Band", "Mercedes College"), neither a
    // person nor a place.
    private static readonly string[] s_organisationWords =
    [
        "Band", "College", "University", "School", "Party", "Church", "Cathedral", "Club", "Company", "Corporation",
        "Inc", "Ltd", "LLC", "Group", "Records", "Association", "Society", "Institute", "Foundation", "Bank", "Metro",
        "Council", "Committee", "Agency", "Department", "Ministry", "Academy", "Orchestra", "Cups", "Cup", "Games",
        "Award", "Awards", "Prize", "Festival", "Show", "Times", "News", "Press", "Airlines", "Motors", "Systems",
    ];

    // After an unlisted capitalised word, these say it is a person ("Bobick had now improved", "Citrone opened").
    private static readonly string[] s_personVerbs =
    [
        "said", "says", "told", "asked", "replied", "wrote", "writes", "added", "became", "began", "received", "started",
        "finished", "won", "sat", "moved", "migrated", "opened", "died", "published", "joined", "returned", "served",
        "lost", "married", "left", "played", "argued", "claimed", "stated", "believes", "believed", "eventually",
        "then", "also", "later", "himself", "herself", "responded", "announced", "explained", "decided", "retired",
        "graduated", "studied", "attended", "founded", "resigned", "recorded", "signed", "scored", "defeated", "beat",
    ];

    // A run followed by "is a village", "was a town" is a place.
    private static readonly string[] s_placeNouns =
    [
        "village", "town", "city", "hamlet", "suburb", "municipality", "parish", "district", "county", "region", "province",
        "island", "river", "lake", "mountain", "neighbourhood", "neighborhood", "commune", "settlement", "locality", "capital",
    ];

    // "University of Leicester" names the university, not the town.
    private static readonly string[] s_institutions = ["university of", "college of", "school of", "institute of"];

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
        int found = results.Count;
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

            // A field label after the name ("Name: Leigha Mackay Phone: ...") is not part of it.
            if (j > i && TextScan.IsCharAt(text, words[j].End, ':') && IsOpener(text, words[j]))
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

        AddFirstOfPairs(text, found, gazetteer, results);
    }

    /// <summary>
    /// "Behe and Snoke responded": an unlisted capitalised word joined by "and" to a person or place found
    /// after it is of the same kind. Runs once over this text's finds, so the work stays linear.
    /// </summary>
    private static void AddFirstOfPairs(string text, int from, Gazetteer g, List<PiiEntity> results)
    {
        int count = results.Count;
        for (int r = from; r < count; r++)
        {
            PiiEntity second = results[r];
            int end = second.Start - 5;
            if (end < 2 || !text.AsSpan(end, 5).SequenceEqual(" and "))
            {
                continue;
            }

            int start = end;
            while (start > 0 && char.IsLetter(text[start - 1]))
            {
                start--;
            }

            ReadOnlySpan<char> word = text.AsSpan(start, end - start);
            if (word.Length < 3 || !char.IsUpper(word[0]) || (start > 0 && !char.IsWhiteSpace(text[start - 1]))
                || g.IsCommonWord(word) || g.IsEnglishWord(word) || IsCamelCase(word) || !word[1..].ContainsAnyInRange('a', 'z')
                || OverlapsFound(results, from, start, end))
            {
                continue;
            }

            var only = new Word(start, end, true, false, false, false);
            if (IsOpener(text, only) || Is(text, only, s_calendar, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            results.Add(new PiiEntity(second.Type, start, end - start, 0.4));
        }
    }

    private static bool OverlapsFound(List<PiiEntity> results, int from, int start, int end)
    {
        for (int k = from; k < results.Count; k++)
        {
            if (results[k].Start < end && start < results[k].End)
            {
                return true;
            }
        }

        return false;
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
        "fr", "rev", "reverend", "bishop", "archbishop", "cardinal", "pope", "engineer", "emperor", "chancellor", "let",
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

        if (k < 0 || !TextScan.IsAsciiDigit(text[k]))
        {
            return false;
        }

        // "In 1885 Hitzig became": a year after a preposition, not a house number.
        int digits = 0;
        while (k >= 0 && TextScan.IsAsciiDigit(text[k]))
        {
            k--;
            digits++;
        }

        return digits != 4 || !PreviousWordsAre(text, k + 1, s_yearPrepositions);
    }

    private static readonly string[] s_yearPrepositions = ["in", "since", "until", "by", "during", "of", "from", "to", "after", "before", "the"];

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
        bool introduced = previousLength is >= 2 and <= 4 && PreviousWordsAre(text, w.Start, s_introductions);
        if ((!introduced && !IsLowerCaseFullName(text, words, i, g)) || !g.IsFirstName(token) || g.IsCommonWord(token))
        {
            return i + 1;
        }

        int j = i;
        while (j + 1 < words.Count && j - i < 2 && (words[j + 1].JoinedToPrevious || AfterLowerInitial(text, words, j + 1)) && !words[j].Possessive
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

    /// <summary>
    /// "leone mazzi", "bertram m. jørgensen": a listed first name, an optional initial and a listed surname, none
    /// of them an English word, are a name even in lower case. The cheap shape tests come before the look-ups.
    /// </summary>
    private static bool IsLowerCaseFullName(string text, List<Word> words, int i, Gazetteer g)
    {
        int n = i + 1;
        if (n < words.Count && words[n].JoinedToPrevious && words[n].End - words[n].Start == 1 && n + 1 < words.Count)
        {
            n++; // the initial
            if (!words[n].JoinedToPrevious && !(TextScan.IsCharAt(text, words[n - 1].End, '.') && words[n].Start == words[n - 1].End + 2))
            {
                return false;
            }
        }
        else if (n >= words.Count || !words[n].JoinedToPrevious)
        {
            return false;
        }

        Word first = words[i];
        Word last = words[n];
        if (first.End - first.Start < 3 || last.End - last.Start < 3 || !char.IsLower(text[last.Start]))
        {
            return false;
        }

        ReadOnlySpan<char> surname = text.AsSpan(last.Start, last.End - last.Start);
        ReadOnlySpan<char> given = text.AsSpan(first.Start, first.End - first.Start);
        return g.IsLastName(surname) && !g.IsCommonWord(surname) && g.IsFirstName(given) && !g.IsCommonWord(given);
    }

    /// <summary>"bertram m. jørgensen": the word follows a one-letter word and its dot.</summary>
    private static bool AfterLowerInitial(string text, List<Word> words, int k) =>
        words[k - 1].End - words[k - 1].Start == 1 && TextScan.IsCharAt(text, words[k - 1].End, '.') && words[k].Start == words[k - 1].End + 2
        && text[words[k - 1].End + 1] == ' ';

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
            // "U.S.", "U.K.", "D.C.": one word, looked up as written.
            bool acronym = false;
            while (end - start >= 1 && char.IsUpper(text[end - 1]) && (end - start == 1 || text[end - 2] == '.')
                && TextScan.IsCharAt(text, end, '.') && end + 1 < text.Length && char.IsUpper(text[end + 1]) && TextScan.IsCharAt(text, end + 2, '.'))
            {
                end += 2;
                acronym = true;
            }

            if (acronym)
            {
                end++;
                i = end;
            }

            bool possessive = false;
            if (end - start > 2 && text[end - 1] is 's' && text[end - 2] is '\'' or '’')
            {
                end -= 2;
                possessive = true;
            }

            // "M." and, between names, a bare "M" ("Ruth R Montez"); a bare "I" or "A" is a word.
            bool dotted = TextScan.IsCharAt(text, end, '.');
            bool initial = !acronym && end - start == 1 && char.IsUpper(text[start])
                && (dotted || (text[start] is not ('I' or 'A') && TextScan.IsCharAt(text, end, ' ') && end + 1 < text.Length && char.IsUpper(text[end + 1])));
            bool joined = previousEnd >= 0 && IsJoin(text.AsSpan(previousEnd, start - previousEnd));
            bool capitalised = char.IsUpper(text[start]) && (end - start > 1 || initial);
            words.Add(new Word(start, end, capitalised, initial, joined, possessive));
            previousEnd = initial && dotted && !acronym ? end + 1 : end;
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

        if (count >= 2 && Is(text, words[b], s_organisationWords, StringComparison.Ordinal))
        {
            return;
        }

        if (count >= 2 && (Is(text, words[a], s_placePrefixes, StringComparison.Ordinal)
            || (Is(text, words[a], s_regionPrefixes, StringComparison.Ordinal) && g.IsPlace(text.AsSpan(words[a + 1].Start, end - words[a + 1].Start)))))
        {
            results.Add(new PiiEntity(PiiTypes.Location, start, end - start, placeCue ? 0.75 : 0.6));
            return;
        }

        if (FollowedByPlaceDescription(text, words, b) && !Is(text, words[a], s_calendar, StringComparison.OrdinalIgnoreCase))
        {
            results.Add(new PiiEntity(PiiTypes.Location, start, end - start, 0.6));
            return;
        }

        if (count > MaxPlaceWords || !g.IsPlace(span))
        {
            // Not a place as a whole: look for a listed place at either end ("Lake Geneva Region" aside).
            if (TryPlaceInside(text, words, a, b, g, placeCue, results) || TryPlaceAtStart(text, words, a, b, g, results))
            {
                return;
            }
        }
        else if (!PreviousWordsAre(text, start, s_institutions))
        {
            ReadOnlySpan<char> only = text.AsSpan(words[a].Start, words[a].End - words[a].Start);
            // The place list holds tens of thousands of towns, many named like people ("Norton", "Mary") or
            // words ("Spring"): such a single word is a place only after a cue that nearly always introduces one.
            bool personLike = count == 1 && (g.IsFirstName(only) || g.IsLastName(only)) && !g.IsMajorPlace(only);
            // A well-known place opening a line is still a place ("Portugal 30971" in an address), unless it
            // labels the line ("Brazil: +55 11 ...").
            bool label = sentenceStart && TextScan.IsCharAt(text, end, ':');
            bool ambiguous = count == 1 && (g.IsCommonWord(only) || (sentenceStart && !placeCue && (!g.IsMajorPlace(only) || label)) || personLike || (personCue && g.IsMajorPlace(only) && (g.IsFirstName(only) || g.IsLastName(only))));
            if (!ambiguous || ((strongPlaceCue || AfterPlace(text, start, results)) && !(personLike && personCue))
                || (placeCue && !personLike && !g.IsCommonWord(only)))
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
            if (!headFirst && count >= 3 && tailLast && TryNameInside(text, words, a, b, g, results))
            {
                return;
            }

            if (!headFirst && !tailLast && !g.IsLastName(head))
            {
                // Two or three unknown capitalised words right after "my name is" / "Name:" or "born in".
                if (((strongPersonCue || PreviousWordsAre(text, start, s_authorCues)) && count <= 4) || (count <= 3 && FollowedByPersonVerb(text, words, b) && NoCommonWord(text, words, a, b, g)))
                {
                    results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.55));
                }
                else if ((strongPlaceCue || (AfterPlace(text, start, results) && NoCommonWord(text, words, a, b, g))) && count <= 3
                    && !Is(text, words[a], s_calendar, StringComparison.OrdinalIgnoreCase))
                {
                    results.Add(new PiiEntity(PiiTypes.Location, start, end - start, 0.5));
                }

                return;
            }

            bool tailCommon = g.IsCommonWord(tail);
            if ((headFirst && !headCommon) || (headFirst && tailLast) || (tailLast && personCue) || (g.IsLastName(head) && tailLast && !headCommon)
                || (headFirst && !tailCommon && !IsAllCaps(text, words[b]))
                || (count == 2 && !tailCommon && !headCommon && !IsAllCaps(text, words[a]) && !IsAllCaps(text, words[b])
                    && !g.IsPlace(head) && !IsOpener(text, words[a]) && (g.IsLastName(tail) || (g.IsLastName(head) && !sentenceStart && !g.IsPlace(tail)))))
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
            bool calendar = Is(text, words[a], s_calendar, StringComparison.OrdinalIgnoreCase);
            // Guesses from context alone skip everyday words ("Ignore", "Maximum") and product names ("OpenAI").
            bool guessable = !acronym && !language && !calendar && !g.IsCommonWord(head) && !g.IsEnglishWord(head) && !IsCamelCase(head);
            string? listed = guessable && !sentenceStart ? ListedAfter(text, start, results) : null;
            if (listed is not null)
            {
                // "Behe and Snoke", "Portchester and Fareham": the second of a pair is what the first was.
                results.Add(new PiiEntity(listed, start, end - start, 0.45));
            }
            else if ((strongPlaceCue || TownLineAboveCountry(text, words, a, g) || AfterPlace(text, start, results)) && guessable)
            {
                results.Add(new PiiEntity(PiiTypes.Location, start, end - start, 0.5));
            }
            else if (strongPersonCue || (PreviousWordsAre(text, start, s_authorCues) && !g.IsEnglishWord(head)))
            {
                results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.5));
            }
            else if (guessable && (!g.IsPlace(head) || (!g.IsMajorPlace(head) && FollowedByPersonVerb(text, words, b))) && !IsAllCaps(text, words[a])
                && (FollowedByPersonVerb(text, words, b) || FollowedByAuxiliary(text, words, b) || words[b].Possessive
                    || IsCitation(text, start, end)))
            {
                // An unlisted surname is still a person when it does what people do ("Bobick had", "Carder's family").
                results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.45));
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
        else if ((!g.IsCommonWord(head) && (!sentenceStart || FollowedByLowerWord(text, words, b) || words[b].Possessive))
            || FollowedByPersonVerb(text, words, b) || (headFirst && sentenceStart && TextScan.IsCharAt(text, end, ':')))
        {
            // A listed name that is also a word ("Walker", "Destiny") still counts when it acts or speaks.
            results.Add(new PiiEntity(PiiTypes.Person, start, end - start, 0.45));
        }
    }

    /// <summary>The type of the person or place found just before <paramref name="start"/>, joined to it by "and" or "or".</summary>
    private static string? ListedAfter(string text, int start, List<PiiEntity> results)
    {
        if (results.Count == 0)
        {
            return null;
        }

        PiiEntity last = results[^1];
        if (last.Type is not (PiiTypes.Person or PiiTypes.Location) || last.End >= start || start - last.End > 5)
        {
            return null;
        }

        ReadOnlySpan<char> gap = text.AsSpan(last.End, start - last.End);
        return gap is " and " or " or " ? last.Type : null;
    }

    /// <summary>"Beijing, China": a word right after a place found just before, past a comma, is read as a place too.</summary>
    private static bool AfterPlace(string text, int start, List<PiiEntity> results)
    {
        if (results.Count == 0)
        {
            return false;
        }

        PiiEntity last = results[^1];
        return last.Type == PiiTypes.Location && last.End + 2 == start && text[last.End] == ',' && text[last.End + 1] == ' ';
    }

    /// <summary>
    /// A well-known place opening a longer run after "the" or "a" ("the Munich Olympics", "a Texas All-State
    /// tackle"), when no word of the run is a listed name: "the Paris Hilton" stays a person.
    /// </summary>
    private static bool TryPlaceAtStart(string text, List<Word> words, int a, int b, Gazetteer g, List<PiiEntity> results)
    {
        if (!PreviousWordsAre(text, words[a].Start, s_articles) || EndsWithPlaceWord(text, words[b]))
        {
            return false;
        }

        for (int k = Math.Min(b - 1, a + MaxPlaceWords - 1); k >= a; k--)
        {
            ReadOnlySpan<char> part = text.AsSpan(words[a].Start, words[k].End - words[a].Start);
            if (!g.IsMajorPlace(part))
            {
                continue;
            }

            for (int r = k + 1; r <= b; r++)
            {
                ReadOnlySpan<char> w = text.AsSpan(words[r].Start, words[r].End - words[r].Start);
                if ((g.IsFirstName(w) || g.IsLastName(w)) && !g.IsCommonWord(w))
                {
                    return false;
                }
            }

            results.Add(new PiiEntity(PiiTypes.Location, words[a].Start, part.Length, 0.55));
            return true;
        }

        return false;
    }

    private static readonly string[] s_articles = ["the", "a", "an"];

    /// <summary>
    /// An address block's town line: the word stands alone on its line and the next line starts with a country or
    /// another well-known place ("Ribeirão" above "Portugal 30971").
    /// </summary>
    private static bool TownLineAboveCountry(string text, List<Word> words, int a, Gazetteer g)
    {
        Word w = words[a];
        int before = w.Start - 1;
        while (before >= 0 && text[before] is ' ' or '\t')
        {
            before--;
        }

        int after = w.End;
        while (after < text.Length && text[after] is ' ' or '\t')
        {
            after++;
        }

        if (before >= 0 && text[before] != '\n' || after >= text.Length || text[after] != '\n' || a + 1 >= words.Count)
        {
            return false;
        }

        // The next line's first word, or its first two ("South Africa"), names the place.
        Word next = words[a + 1];
        if (text.AsSpan(after, next.Start - after).ContainsAnyExcept(" \t\r\n"))
        {
            return false;
        }

        if (g.IsMajorPlace(text.AsSpan(next.Start, next.End - next.Start)))
        {
            return true;
        }

        return a + 2 < words.Count && words[a + 2].JoinedToPrevious && g.IsMajorPlace(text.AsSpan(next.Start, words[a + 2].End - next.Start));
    }

    /// <summary>
    /// True when words a..b are all everyday words ("Visit", "North"): a one-word place after them is a place,
    /// while after a name it is more often a surname ("Neve Campbell", "Leigha Mackay").
    /// </summary>
    private static bool OnlyCommonWords(string text, List<Word> words, int a, int b, Gazetteer g)
    {
        for (int k = a; k <= b; k++)
        {
            if (!g.IsCommonWord(text.AsSpan(words[k].Start, words[k].End - words[k].Start)) && !IsOpener(text, words[k]))
            {
                return false;
            }
        }

        return true;
    }

    // An unlisted capitalised word followed by one of these is taken for a person ("Citrone was sentenced"), once
    // "is a village" and the like have been ruled out.
    private static readonly string[] s_auxiliaries = ["was", "had", "has", "would", "could", "did", "himself", "herself"];

    private static bool FollowedByAuxiliary(string text, List<Word> words, int b) =>
        b + 1 < words.Count && words[b + 1].JoinedToPrevious && !words[b].Possessive && Is(text, words[b + 1], s_auxiliaries, StringComparison.Ordinal);

    /// <summary>An author-year citation: "(Ruhlen 1987)", "(Wise, 1987)".</summary>
    private static bool IsCitation(string text, int start, int end)
    {
        if (start == 0 || text[start - 1] != '(')
        {
            return false;
        }

        int k = end;
        if (TextScan.IsCharAt(text, k, ','))
        {
            k++;
        }

        if (!TextScan.IsCharAt(text, k, ' '))
        {
            return false;
        }

        k++;
        int digits = 0;
        while (k < text.Length && TextScan.IsAsciiDigit(text[k]))
        {
            k++;
            digits++;
        }

        return digits == 4 && TextScan.IsCharAt(text, k, ')');
    }

    /// <summary>
    /// A name at the end of a longer run after a title or description ("Finger-picker Muriel Anderson", "Engineer
    /// John Greiner"): from the first listed first name on, when what follows it ends in a listed name.
    /// </summary>
    private static bool TryNameInside(string text, List<Word> words, int a, int b, Gazetteer g, List<PiiEntity> results)
    {
        for (int k = a + 1; k < b; k++)
        {
            ReadOnlySpan<char> w = text.AsSpan(words[k].Start, words[k].End - words[k].Start);
            if (g.IsFirstName(w) && !g.IsCommonWord(w) && !IsAllCaps(text, words[k]))
            {
                results.Add(new PiiEntity(PiiTypes.Person, words[k].Start, words[b].End - words[k].Start, 0.5));
                return true;
            }
        }

        return false;
    }

    /// <summary>"OpenAI", "ChatGPT": a capital after a small letter, past a "Mc" or "Mac" prefix, marks a product or company.</summary>
    private static bool IsCamelCase(ReadOnlySpan<char> word)
    {
        int from = word.StartsWith("Mc", StringComparison.Ordinal) ? 2 : word.StartsWith("Mac", StringComparison.Ordinal) ? 3 : 1;
        for (int k = Math.Max(from, 1); k < word.Length; k++)
        {
            if (char.IsUpper(word[k]) && char.IsLower(word[k - 1]) && k != from)
            {
                return true;
            }
        }

        return false;
    }

    private static bool FollowedByPersonVerb(string text, List<Word> words, int b) =>
        (b + 1 < words.Count && words[b + 1].JoinedToPrevious && !words[b].Possessive && Is(text, words[b + 1], s_personVerbs, StringComparison.Ordinal))
        || FollowedByWho(text, words[b].End);

    /// <summary>"Citrone (who was ...", "Smith, who said": "who" refers to a person.</summary>
    private static bool FollowedByWho(string text, int end)
    {
        ReadOnlySpan<char> after = text.AsSpan(end, Math.Min(6, text.Length - end));
        return after.StartsWith(", who ", StringComparison.Ordinal) || after.StartsWith(" (who ", StringComparison.Ordinal)
            || after.StartsWith(" who ", StringComparison.Ordinal);
    }

    /// <summary>"Boultham is a village", "... was a small town in": the run names a place.</summary>
    private static bool FollowedByPlaceDescription(string text, List<Word> words, int b)
    {
        int k = b + 1;
        if (k >= words.Count || !words[k].JoinedToPrevious || words[b].Possessive)
        {
            return false;
        }

        ReadOnlySpan<char> verb = text.AsSpan(words[k].Start, words[k].End - words[k].Start);
        if (!verb.SequenceEqual("is") && !verb.SequenceEqual("was"))
        {
            return false;
        }

        // "is a small village", "is an unincorporated community": the noun comes within four words.
        for (int n = k + 1; n < words.Count && n <= k + 4; n++)
        {
            if (Is(text, words[n], s_placeNouns, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NoCommonWord(string text, List<Word> words, int a, int b, Gazetteer g)
    {
        for (int k = a; k <= b; k++)
        {
            ReadOnlySpan<char> w = text.AsSpan(words[k].Start, words[k].End - words[k].Start);
            if (g.IsCommonWord(w) || g.IsEnglishWord(w) || IsCamelCase(w) || IsAllCaps(text, words[k]))
            {
                return false;
            }
        }

        return true;
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
                && !EndsWithPlaceWord(text, words[b]) && (k < b || OnlyCommonWords(text, words, a, k - 1, g) || g.IsMajorPlace(part)))
            {
                results.Add(new PiiEntity(PiiTypes.Location, words[k].Start, words[b].End - words[k].Start, 0.55));
                return true;
            }
        }

        return false;
    }
}
