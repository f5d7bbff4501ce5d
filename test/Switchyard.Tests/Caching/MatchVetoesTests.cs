using Switchyard.Caching.Semantic;
using Xunit;

namespace Switchyard.Tests.Caching;

public sealed class MatchVetoesTests
{
    [Theory]
    [InlineData("Convert 5 miles to km.", "Convert 15 miles to km.", "numbers differ")]
    [InlineData("Which foods contain gluten?", "Which foods don't contain gluten?", "negation differs")]
    [InlineData("Sort the list in ascending order.", "Sort the list in descending order.", "opposite operations (ascending / descending)")]
    [InlineData("What is the capital of France?", "Quelle est la capitale de la France ?", "language differs")]
    [InlineData("What is the capital of France?", "日本の首都はどこですか？", "language differs")]
    [InlineData("What is 3 to the power of 4?", "What is 4 to the power of 3?", "numbers in another order")]
    [InlineData("How do I convert a string to a date in C#?", "How do I convert a date to a string in C#?", "same words in another order")]
    [InlineData("Which foods are high in fiber?", "Which foods are low in fiber?", "one word changed (high / low)")]
    [InlineData("Which cheeses are pasteurized?", "Which cheeses are unpasteurized?", "one word changed (pasteurized / unpasteurized)")]
    [InlineData("Should I refrigerate tomatoes?", "Should I avoid refrigerating tomatoes?", "negation differs")]
    public void Near_misses_are_vetoed(string a, string b, string reason) => Assert.Equal(reason, MatchVetoes.Veto(a, b));

    [Theory]
    [InlineData("What is the capital of France?", "Which city is France's capital?")]
    [InlineData("How much is 1,000 plus 2.50?", "What is 1000 plus 2.5?")]
    [InlineData("I can't log in to my account, can you help?", "I cannot log in to my account, could you help?")]
    [InlineData("Summarise this article for me please", "can you summarise this article")]
    [InlineData("How do I create a new branch in git?", "how do i craete a new brnach in git")]
    public void Paraphrases_pass(string a, string b) => Assert.Null(MatchVetoes.Veto(a, b));

    [Fact]
    public void Words_and_numbers_are_normalised()
    {
        Assert.Equal(["dont", "panic", "its", "fine"], MatchVetoes.Words("Don't panic — it's fine!"));
        Assert.Equal(["1000", "2.5", "3"], MatchVetoes.Numbers("pay 2.50 for 3 of 1,000"));
        Assert.Equal("fr", MatchVetoes.Language("Comment faire un gâteau pour mon fils ?", MatchVetoes.Words("Comment faire un gâteau pour mon fils ?")));
    }
}
