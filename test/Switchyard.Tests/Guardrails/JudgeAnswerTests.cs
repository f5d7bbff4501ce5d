using Switchyard.Guardrails.External;
using Xunit;

namespace Switchyard.Tests.Guardrails;

public sealed class JudgeAnswerTests
{
    [Theory]
    [InlineData("""{"score": 0.82, "reason": "override"}""", 0.82)]
    [InlineData("""Sure. {"score": "0.4"} Hope that helps.""", 0.4)]
    [InlineData("""```json\n{"score": 1.7}\n```""", 1.0)]
    [InlineData("0.25", 0.25)]
    [InlineData("Yes.", 1.0)]
    [InlineData("unsafe\nS2", 1.0)]
    [InlineData("No", 0.0)]
    public void FindsTheScore_InTheFormsJudgesAnswerIn(string text, double expected)
    {
        Assert.Equal(expected, JudgeAnswer.FromText(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("I cannot help with that.")]
    [InlineData("""{"reason": "no score here"}""")]
    [InlineData("NaN")]
    public void HasNoScore_WhenTheAnswerGivesNone(string text)
    {
        Assert.Null(JudgeAnswer.FromText(text));
    }

    [Fact]
    public void AnErrorStatusOrAnswerWithoutAMessage_IsTheJudgeFailing()
    {
        Assert.Contains("answered 503", Assert.Throws<JudgeFailedException>(() => JudgeAnswer.Score(503, """{"error":{"message":"down"}}"""u8.ToArray())).Message);
        Assert.Throws<JudgeFailedException>(() => JudgeAnswer.Score(200, """{"choices":[]}"""u8.ToArray()));
        Assert.Throws<JudgeFailedException>(() => JudgeAnswer.Score(200, "not json"u8.ToArray()));
    }
}
