using System.Diagnostics;
using System.Text;
using Switchyard.Guardrails.Pii;
using Xunit;

namespace Switchyard.Tests.Guardrails.Pii;

/// <summary>The detector as a whole: offsets, overlap resolution, type filters, long and hostile input.</summary>
public sealed class PiiDetectorTests
{
    private static readonly PiiDetector Detector = new();

    [Fact]
    public void Offsets_are_utf16_and_survive_emoji_before_the_entity()
    {
        const string text = "😀🎉 mail me at ana@example.org 👍";
        PiiEntity entity = Assert.Single(Detector.Find(text));
        Assert.Equal(PiiTypes.EmailAddress, entity.Type);
        Assert.Equal(text.IndexOf("ana@", StringComparison.Ordinal), entity.Start);
        Assert.Equal("ana@example.org", text.Substring(entity.Start, entity.Length));
    }

    [Fact]
    public void Entities_are_sorted_and_do_not_overlap()
    {
        const string text = "Card 4111 1111 1111 1111, call 415-555-0132, ip 10.0.0.1, mail a.b@example.com, ssn 078-05-1123";
        IReadOnlyList<PiiEntity> found = Detector.Find(text);
        Assert.Equal(
            [PiiTypes.CreditCard, PiiTypes.PhoneNumber, PiiTypes.IpAddress, PiiTypes.EmailAddress, PiiTypes.UsSsn],
            found.Select(e => e.Type));
        for (int i = 1; i < found.Count; i++)
        {
            Assert.True(found[i - 1].End <= found[i].Start);
        }
    }

    [Fact]
    public void A_type_filter_limits_the_result()
    {
        const string text = "Card 4111111111111111 and mail a.b@example.com";
        PiiEntity entity = Assert.Single(Detector.Find(text, new HashSet<string> { PiiTypes.EmailAddress }));
        Assert.Equal(PiiTypes.EmailAddress, entity.Type);
    }

    [Fact]
    public void Overlaps_keep_the_higher_score_then_the_longer_span()
    {
        var detector = new PiiDetector([new FixedRecognizer(
            new PiiEntity("A", 0, 5, 0.5), new PiiEntity("B", 3, 4, 0.9), new PiiEntity("C", 8, 2, 0.5), new PiiEntity("D", 8, 4, 0.5))]);
        Assert.Equal(["B", "D"], detector.Find("0123456789abcdef").Select(e => e.Type));
    }

    [Fact]
    public void A_megabyte_of_text_finishes_in_bounded_time()
    {
        var sb = new StringBuilder();
        while (sb.Length < 1_000_000)
        {
            sb.Append("Contact John Smith at john@example.com or 415-555-0132, card 4111111111111111, from Paris. 1.2.3.4 ab:cd::ef ");
        }

        string text = sb.ToString();
        var watch = Stopwatch.StartNew();
        IReadOnlyList<PiiEntity> found = Detector.Find(text);
        watch.Stop();
        Assert.NotEmpty(found);
        // Generous for a loaded CI machine; a backtracking blow-up would take minutes.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Pathological_runs_finish_in_bounded_time()
    {
        string[] texts =
        [
            new string('a', 200_000) + "@" + new string('b', 200_000),
            string.Concat(Enumerable.Repeat("a@", 100_000)),
            string.Concat(Enumerable.Repeat("1 ", 200_000)),
            string.Concat(Enumerable.Repeat("1.", 200_000)),
            string.Concat(Enumerable.Repeat("a:", 200_000)),
            string.Concat(Enumerable.Repeat("sk-", 100_000)),
            string.Concat(Enumerable.Repeat("-----BEGIN RSA PRIVATE KEY-----", 10_000)),
            string.Concat(Enumerable.Repeat("Ab ", 200_000)),
            string.Concat(Enumerable.Repeat("GB29 ", 100_000)),
        ];
        foreach (string text in texts)
        {
            var watch = Stopwatch.StartNew();
            _ = Detector.Find(text);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed} on {text[..20]}");
        }
    }

    [Theory]
    [InlineData("\ud800 lone high surrogate 4111111111111111")]
    [InlineData("lone low \udc00 a@b.com")]
    [InlineData("bidi \u202e123-45-6789\u202c and \u2066GB29 NWBK 6016 1331 9268 19\u2069")]
    [InlineData("zero\u200bwidth\u200d jo\u200chn@exa\u200bmple.com")]
    [InlineData("combining J\u0301o\u0308hn Sm\u0327ith in Pa\u0301ris")]
    [InlineData("\ufeff\ufffe\uffff\u0000 control")]
    [InlineData("ends with a high surrogate \ud83d")]
    [InlineData("4111111111111111\ud83d")]
    [InlineData("078-05-1123--8")] // a doubled separator once overran the phone scanner's date check
    [InlineData("4--1-2-3-4-5-6-7")]
    public void Hostile_unicode_does_not_throw(string text)
    {
        IReadOnlyList<PiiEntity> found = Detector.Find(text);
        foreach (PiiEntity e in found)
        {
            Assert.InRange(e.Start, 0, text.Length);
            Assert.InRange(e.End, e.Start, text.Length);
        }
    }

    [Fact]
    public void Empty_text_has_no_entities()
    {
        Assert.Empty(Detector.Find(""));
    }

    private sealed class FixedRecognizer(params PiiEntity[] entities) : IPiiRecognizer
    {
        public IReadOnlyList<string> Types { get; } = ["A", "B", "C", "D"];

        public void Find(string text, List<PiiEntity> results) => results.AddRange(entities);
    }
}
