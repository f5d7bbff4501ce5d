using System.Text.Json;
using Switchyard.Guardrails.Schema;
using Xunit;

namespace Switchyard.Tests.Guardrails.Output;

/// <summary>
/// The answer checked against <c>response_format</c> and tool calls against <c>tools</c>: parse failures,
/// schema violations with their pointers, unknown tools, the schema cache and the size limits.
/// </summary>
public sealed class JsonAnswerValidatorTests
{
    private const string PersonSchema = """
        {"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":{
          "type":"object",
          "properties":{
            "name":{"type":"string"},
            "role":{"type":"string","enum":["admin","user"]},
            "address":{"type":"object","properties":{"city":{"type":"string"},"zip":{"type":"string"}},
                       "required":["city","zip"],"additionalProperties":false}
          },
          "required":["name","role","address"],
          "additionalProperties":false}}}
        """;

    private const string WeatherTools = """
        [{"type":"function","function":{"name":"get_weather","parameters":{
            "type":"object","properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]}},
            "required":["city"],"additionalProperties":false}}},
         {"type":"function","function":{"name":"ping"}}]
        """;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void A_json_object_answer_that_is_an_object_is_valid()
    {
        var problems = new JsonAnswerValidator().ValidateAnswer(Json("""{"type":"json_object"}"""), """{"a": 1}""");
        Assert.Empty(problems);
    }

    [Theory]
    [InlineData("Sure! Here is the JSON: {\"a\": 1}", "not JSON")]
    [InlineData("```json\n{\"a\": 1}\n```", "Markdown code fence")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("", "empty")]
    public void A_json_object_answer_that_is_not_an_object_is_a_problem(string answer, string expected)
    {
        var problems = new JsonAnswerValidator().ValidateAnswer(Json("""{"type":"json_object"}"""), answer);
        var problem = Assert.Single(problems);
        Assert.Equal("", problem.Where);
        Assert.Contains(expected, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_format_asks_for_nothing()
    {
        Assert.Empty(new JsonAnswerValidator().ValidateAnswer(Json("""{"type":"text"}"""), "hello"));
        Assert.Empty(new JsonAnswerValidator().ValidateAnswer(default, "hello"));
    }

    [Fact]
    public void A_nested_answer_that_matches_the_schema_is_valid()
    {
        var answer = """{"name":"Ada","role":"admin","address":{"city":"London","zip":"N1"}}""";
        Assert.Empty(new JsonAnswerValidator().ValidateAnswer(Json(PersonSchema), answer));
    }

    [Fact]
    public void Schema_violations_name_their_pointer()
    {
        var answer = """{"name":"Ada","role":"owner","address":{"city":"London","extra":1}}""";
        var problems = new JsonAnswerValidator().ValidateAnswer(Json(PersonSchema), answer);

        Assert.Contains(problems, p => p.Where == "/role" && p.Message.StartsWith("enum", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Where == "/address" && p.Message.StartsWith("required", StringComparison.Ordinal) && p.Message.Contains("zip", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Where == "/address/extra" && p.Message == "additionalProperties: the property is not allowed");
    }

    [Fact]
    public void A_missing_required_property_at_the_root_is_reported_at_the_root()
    {
        var problems = new JsonAnswerValidator().ValidateAnswer(Json(PersonSchema), """{"name":"Ada"}""");
        Assert.Contains(problems, p => p.Where == "" && p.Message.StartsWith("required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_wrong_type_is_reported()
    {
        var problems = new JsonAnswerValidator().ValidateAnswer(Json(PersonSchema), """{"name":5,"role":"user","address":{"city":"x","zip":"y"}}""");
        var problem = Assert.Single(problems);
        Assert.Equal("/name", problem.Where);
        Assert.StartsWith("type", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_schema_is_compiled_once()
    {
        var validator = new JsonAnswerValidator();
        for (var i = 0; i < 5; i++)
        {
            validator.ValidateAnswer(Json(PersonSchema), """{"name":"Ada"}""");
        }
        Assert.Equal(1, validator.CachedSchemas);
    }

    [Fact]
    public void The_schema_cache_is_bounded()
    {
        var validator = new JsonAnswerValidator();
        for (var i = 0; i < JsonAnswerValidator.MaxCachedSchemas + 10; i++)
        {
            var format = """{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object","title":"t""" + i + "\"}}}";
            validator.ValidateAnswer(Json(format), "{}");
        }
        Assert.InRange(validator.CachedSchemas, 1, JsonAnswerValidator.MaxCachedSchemas);
    }

    [Fact]
    public void Schemas_with_the_same_id_from_different_callers_do_not_clash()
    {
        var validator = new JsonAnswerValidator();
        var first = """{"type":"json_schema","json_schema":{"name":"s","schema":{"$id":"https://example.com/s","type":"object","required":["a"]}}}""";
        var second = """{"type":"json_schema","json_schema":{"name":"s","schema":{"$id":"https://example.com/s","type":"object","required":["b"]}}}""";

        Assert.Empty(validator.ValidateAnswer(Json(first), """{"a":1}"""));
        Assert.Empty(validator.ValidateAnswer(Json(second), """{"b":1}"""));
        Assert.NotEmpty(validator.ValidateAnswer(Json(second), """{"a":1}"""));
    }

    [Fact]
    public void An_unresolvable_or_too_deep_schema_is_a_problem_not_an_exception()
    {
        var validator = new JsonAnswerValidator();
        var remote = """{"type":"json_schema","json_schema":{"name":"s","schema":{"$ref":"https://example.com/remote.json"}}}""";
        var deep = """{"type":"json_schema","json_schema":{"name":"s","schema":""" + string.Concat(Enumerable.Repeat("""{"type":"object","properties":{"a":""", 20)) + "{}" + new string('}', 40) + "}}";

        Assert.NotEmpty(validator.ValidateAnswer(Json(remote), "{}"));
        Assert.Contains("deeper", Assert.Single(validator.ValidateAnswer(Json(deep), "{}")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_over_the_size_limit_is_a_problem_and_is_not_parsed()
    {
        var answer = "{\"a\":\"" + new string('x', JsonAnswerValidator.MaxAnswerChars) + "\"}";
        var problem = Assert.Single(new JsonAnswerValidator().ValidateAnswer(Json("""{"type":"json_object"}"""), answer));
        Assert.Contains("over the", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_calls_that_match_their_parameters_are_valid()
    {
        var problems = new JsonAnswerValidator().ValidateToolCalls(Json(WeatherTools),
            [new("get_weather", """{"city":"Oslo","unit":"c"}"""), new("ping", "{}")]);
        Assert.Empty(problems);
    }

    [Fact]
    public void An_unknown_tool_is_a_problem_that_lists_the_known_ones()
    {
        var problem = Assert.Single(new JsonAnswerValidator().ValidateToolCalls(Json(WeatherTools), [new("get_wether", "{}")]));
        Assert.Equal("/tool_calls/0/function/name", problem.Where);
        Assert.Contains("get_weather, ping", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_that_are_not_json_or_violate_the_parameters_are_problems()
    {
        var problems = new JsonAnswerValidator().ValidateToolCalls(Json(WeatherTools),
            [new("get_weather", "{city: Oslo}"), new("get_weather", """{"unit":"k","days":3}""")]);

        Assert.Contains(problems, p => p.Where == "/tool_calls/0/function/arguments" && p.Message.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Where == "/tool_calls/1/function/arguments" && p.Message.StartsWith("required", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Where == "/tool_calls/1/function/arguments/unit" && p.Message.StartsWith("enum", StringComparison.Ordinal));
    }

    [Fact]
    public void Flat_responses_api_tools_are_understood()
    {
        var tools = Json("""[{"type":"function","name":"add","parameters":{"type":"object","properties":{"a":{"type":"number"}},"required":["a"]}}]""");
        Assert.Empty(new JsonAnswerValidator().ValidateToolCalls(tools, [new("add", """{"a":1}""")]));
        Assert.NotEmpty(new JsonAnswerValidator().ValidateToolCalls(tools, [new("add", """{"a":"one"}""")]));
    }

    [Fact]
    public void The_repair_message_lists_the_problems_and_asks_for_valid_json()
    {
        var message = JsonAnswerValidator.RepairMessage([new("/role", "enum: not one of admin, user"), new("", "required: missing name")]);

        Assert.StartsWith("Your previous answer was not valid:", message, StringComparison.Ordinal);
        Assert.Contains("at /role: enum: not one of admin, user", message, StringComparison.Ordinal);
        Assert.Contains("\n- required: missing name", message, StringComparison.Ordinal);
        Assert.EndsWith("Answer again with only valid JSON that matches the schema.", message, StringComparison.Ordinal);
    }
}
