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
    [InlineData("How do I convert a string to a date in C#?", "How do I convert a date to a string in C#?", "relation turned around")]
    [InlineData("Which foods are high in fiber?", "Which foods are low in fiber?", "opposite operations (high / low)")]
    [InlineData("Which cheeses are pasteurized?", "Which cheeses are unpasteurized?", "negation differs (pasteurized / unpasteurized)")]
    [InlineData("Why do some people like cilantro?", "Why do some people dislike cilantro?", "negation differs (like / dislike)")]
    [InlineData("Write a function that converts Roman numerals to integers.", "Write a function that converts integers to Roman numerals.", "relation turned around")]
    [InlineData("How do I get from Heathrow to central London?", "How do I get from Gatwick to central London?", "names differ (heathrow)")]
    [InlineData("Explain the events of World War I.", "Explain the events of World War II.", "names differ (ii)")]
    [InlineData("What is the sixth amendment?", "What is the fifth amendment?", "numbers differ")]
    [InlineData("Split a list into chunks of 3 elements.", "Split a list into 3 chunks.", "numbers count other things")]
    [InlineData("How do I turn on Bluetooth on my Mac?", "How do I turn off Bluetooth on my Mac?", "opposite operations (on / off)")]
    [InlineData("What's the tipping custom in Austria?", "What's the tipping custom in Australia?", "names differ (austria)")]
    [InlineData("Should I refrigerate tomatoes?", "Should I avoid refrigerating tomatoes?", "negation differs")]
    public void Near_misses_are_vetoed(string a, string b, string reason) => Assert.Equal(reason, MatchVetoes.Veto(a, b));

    [Theory]
    [InlineData("What is the capital of France?", "Which city is France's capital?")]
    [InlineData("How much is 1,000 plus 2.50?", "What is 1000 plus 2.5?")]
    [InlineData("I can't log in to my account, can you help?", "I cannot log in to my account, could you help?")]
    [InlineData("Summarise this article for me please", "can you summarise this article")]
    [InlineData("How do I create a new branch in git?", "how do i craete a new brnach in git")]
    [InlineData("If I cancel my plan today, will I get a refund for the rest of the month?", "Will I get a refund for the rest of the month if I cancel my plan today?")]
    [InlineData("What is the best way to introduce a new cat to my dog?", "To my dog, how should I best introduce a new cat?")]
    [InlineData("Give me three ideas for a team-building activity.", "If it's not too much trouble, could you give me three ideas for a team-building activity?")]
    [InlineData("Why will my phone not charge?", "Why won't my phone charge?")]
    [InlineData("Please provide a list of the seven wonders of the ancient world.", "7 wonders of ancient world list?")]
    [InlineData("To make fluffy pancakes, what is the secret?", "What is the secret to making fluffy pancakes?")]
    [InlineData("For a family of four, how much pasta should I cook?", "How much pasta should I cook for a family of four?")]
    [InlineData("When is the best time to book flights to get a cheap fare?", "To get a cheap fare, when is the best time to book flights?")]
    [InlineData("How long does it take to get a visa for India?", "How much time does it take to get an Indian visa?")]
    public void Paraphrases_pass(string a, string b) => Assert.Null(MatchVetoes.Veto(a, b));

    [Fact]
    public void Words_numbers_and_names_are_read()
    {
        var text = TextFeatures.Of("Don't pay 2.50 for 3 of 1,000 seven times on eBay in Paris. Python is fine!");
        Assert.Equal(["dont", "pay", "for", "of", "times", "on", "ebay", "in", "paris", "python", "is", "fine"], text.Words);
        Assert.Equal(["2.5", "3", "1000", "7"], text.NumbersInOrder);
        Assert.Equal(["ebay", "paris"], text.Names.Order());
        Assert.Equal("fr", TextFeatures.Of("Comment faire un gâteau pour mon fils ?").Language);
    }
}
