using Switchyard.Guardrails.Toxicity;
using Xunit;

namespace Switchyard.Tests.Guardrails.Output;

/// <summary>
/// Each category, each disguise undone, words that merely contain a listed word left alone, spans in the
/// original text, the size bound and hostile Unicode.
/// </summary>
public sealed class ToxicityDetectorTests
{
    private static ToxicityReport Analyze(string? text) => ToxicityDetector.Shared.Analyze(text);

    [Theory]
    [InlineData("You are such an idiot, honestly.", ToxicityCategories.Insult)]
    [InlineData("I will kill you if you come back.", ToxicityCategories.Threat)]
    [InlineData("You should die for what you did.", ToxicityCategories.Threat)]
    [InlineData("This is fucking broken.", ToxicityCategories.Profanity)]
    [InlineData("Send me your blowjob videos.", ToxicityCategories.Sexual)]
    [InlineData("Get out of here, you faggot.", ToxicityCategories.IdentityAttack)]
    [InlineData("Some days I just want to kill myself.", ToxicityCategories.SelfHarm)]
    public void Each_category_fires_on_its_own_words(string text, string category)
    {
        var report = Analyze(text);
        Assert.Equal(1.0, report.Scores[category]);
        Assert.Contains(report.Matches, m => m.Category == category);
    }

    [Fact]
    public void Clean_text_scores_zero_in_every_category()
    {
        var report = Analyze("The quarterly report shows revenue grew 12% and the team shipped three features.");
        Assert.Equal(ToxicityCategories.All.Count, report.Scores.Count);
        Assert.All(report.Scores.Values, s => Assert.Equal(0, s));
        Assert.Empty(report.Matches);
    }

    [Theory]
    [InlineData("Scunthorpe United won the match.")]
    [InlineData("The assassin escaped through the class window.")]
    [InlineData("Please pass the classic cocktail menu; we assessed it as a cumulative hit.")]
    [InlineData("Kill the process and restart the server.")]
    [InlineData("He was as happy as could be.")]
    [InlineData("I am a big fan of the Shitake festival in Essex.")]
    public void Words_that_only_contain_a_listed_word_do_not_fire(string text)
    {
        var report = Analyze(text);
        Assert.Empty(report.Matches);
    }

    [Theory]
    [InlineData("FUCK this", "FUCK")]
    [InlineData("ｆｕｃｋ this", "ｆｕｃｋ")]
    [InlineData("fück this", "fück")]
    [InlineData("fu\u200Bck this", "fu\u200Bck")]
    [InlineData("sh1t happens", "sh1t")]
    [InlineData("what a b1tch", "b1tch")]
    [InlineData("you @$$hole", "@$$hole")]
    [InlineData("fuuuuuck this", "fuuuuuck")]
    [InlineData("f.u.c.k this", "f.u.c.k")]
    [InlineData("f u c k this", "f u c k")]
    [InlineData("what the f-u-c-k", "f-u-c-k")]
    [InlineData("ѕhit happens", "ѕhit")]
    public void Disguised_profanity_is_found_with_its_original_span(string text, string expected)
    {
        var match = Assert.Single(Analyze(text).Matches, m => m.Category == ToxicityCategories.Profanity);
        Assert.Equal(expected, text.Substring(match.Start, match.Length));
    }

    [Fact]
    public void Threat_phrases_match_through_disguises()
    {
        var text = "I'LL   K1LL   Y0U, I swear.";
        var match = Assert.Single(Analyze(text).Matches, m => m.Category == ToxicityCategories.Threat);
        Assert.Equal("I'LL   K1LL   Y0U", text.Substring(match.Start, match.Length));
    }

    [Fact]
    public void A_spelled_out_word_inside_a_longer_run_of_letters_is_found()
    {
        var report = Analyze("you are a b i t c h");
        Assert.Contains(report.Matches, m => m.Pattern.StartsWith("bitch", StringComparison.Ordinal));
    }

    [Fact]
    public void Weak_words_score_less_and_add_up()
    {
        var one = Analyze("Oh damn.").Scores[ToxicityCategories.Profanity];
        var two = Analyze("Oh damn, damn it.").Scores[ToxicityCategories.Profanity];
        Assert.Equal(0.3, one, 3);
        Assert.Equal(1 - 0.7 * 0.7, two, 3);
    }

    [Fact]
    public void The_shipped_lexicon_covers_every_category()
    {
        Assert.True(ToxicityLexicon.Shipped.Count > 250);
        foreach (var category in ToxicityCategories.All)
        {
            Assert.Contains(category, ToxicityCategories.All);
        }
    }

    [Fact]
    public void A_lexicon_can_be_built_from_lines()
    {
        var lexicon = new ToxicityLexicon(ToxicityLexicon.Parse("custom", ["# comment", "", "grault|0.4", "frob*", "eat my shorts"]));
        var report = new ToxicityDetector(lexicon).Analyze("Frobnicate it, grault, and eat my shorts.");

        Assert.Equal(3, report.Matches.Count);
        Assert.Equal(1.0, report.Scores["custom"]);
    }

    [Fact]
    public void A_megabyte_text_is_read_to_the_cap_and_says_so()
    {
        var text = string.Concat(Enumerable.Repeat("the quick brown fox jumps over the lazy dog ", 30_000)) + " idiot";
        Assert.True(text.Length > ToxicityDetector.MaxChars);

        var report = Analyze(text);

        Assert.True(report.Truncated);
        Assert.Empty(report.Matches);
        var near = Analyze(text[..(ToxicityDetector.MaxChars - 100)] + " idiot");
        Assert.Single(near.Matches);
        Assert.False(near.Truncated);
    }

    [Theory]
    [InlineData("\uD800fuck\uDC00")]
    [InlineData("\u202Ekcuf fuck\u202C")]
    [InlineData("\uDBFF\uDFFF\uFFFE\uFFFF fuck \u0000")]
    [InlineData("fu\u0301\u0308\u20DDck you \uD83D\uDE00")]
    public void Hostile_unicode_never_throws_and_still_matches(string text)
    {
        var report = Analyze(text);
        Assert.True(report.Scores[ToxicityCategories.Profanity] > 0.9);
        Assert.All(report.Matches, m => Assert.InRange(m.Start + m.Length, 0, text.Length));
    }

    [Fact]
    public void Lone_surrogates_and_overrides_alone_give_nothing()
    {
        Assert.Empty(Analyze("\uD800\uD800\uDC00\uDC00\u202E\u202D\u2066\u200B").Matches);
        Assert.Empty(Analyze("").Matches);
        Assert.Empty(Analyze(null).Matches);
    }
}
