using Switchyard.Guardrails;
using Xunit;

namespace Switchyard.Tests.Guardrails;

public sealed class PseudonymsTests
{
    [Fact]
    public void The_same_value_gets_the_same_placeholder_and_comes_back()
    {
        var pseudonyms = new Pseudonyms();
        var a = pseudonyms.For("PERSON", "Ada Lovelace");
        var b = pseudonyms.For("PERSON", "Alan Turing");
        var again = pseudonyms.For("PERSON", "Ada Lovelace");

        Assert.Equal(("<PERSON_1>", "<PERSON_2>", "<PERSON_1>"), (a, b, again));
        Assert.Equal("Ada Lovelace met Alan Turing <not a placeholder> <PERSON_9>", pseudonyms.Restore("<PERSON_1> met <PERSON_2> <not a placeholder> <PERSON_9>"));
    }

    [Theory]
    [InlineData("Hello <PER", 6)]
    [InlineData("Hello <", 6)]
    [InlineData("Hello <PERSON_1>", 16)]
    [InlineData("a < b and more text than any placeholder holds", 46)]
    [InlineData("plain", 5)]
    public void A_tail_that_may_grow_into_a_placeholder_is_held(string text, int cut)
    {
        var pseudonyms = new Pseudonyms();
        pseudonyms.For("PERSON", "Ada");

        Assert.Equal(cut, pseudonyms.SafeCut(text));
    }
}
