using System.Text.Json;
using Switchyard.Prompts;
using Xunit;

namespace Switchyard.Tests.Prompts;

public sealed class CompiledPromptTests
{
    private static CompiledPrompt Compile(PromptKind kind, string template, params PromptVariable[] variables)
    {
        var version = new PromptVersion(3, new PromptDraft { Name = "support", Kind = kind, Template = template, Variables = variables }, DateTimeOffset.UnixEpoch, "h");
        return CompiledPrompt.TryCompile(version, out var problem) ?? throw new InvalidOperationException(problem);
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [Fact]
    public void A_text_prompt_renders_like_Mustache_without_escaping()
    {
        var prompt = Compile(PromptKind.Text, "Hi {{ name }}, <{{topic}}> & {{#vip}}VIP {{/vip}}done", new PromptVariable("vip", "boolean", "false"));

        var values = prompt.Bind(Json("""{"name":"Ana","topic":"a \"b\" & c"}"""), out var problem);

        Assert.Null(problem);
        Assert.Equal("Hi Ana, <a \"b\" & c> & done", prompt.RenderText(values!));
        Assert.Equal("Hi Ana, <x> & VIP done", prompt.RenderText(prompt.Bind(Json("""{"name":"Ana","topic":"x","vip":true}"""), out _)!));
        Assert.Equal(["name", "topic", "vip"], prompt.Referenced);
    }

    [Fact]
    public void A_chat_prompt_renders_each_messages_content_and_keeps_the_rest()
    {
        var prompt = Compile(PromptKind.Chat, """[{"role":"system","content":"Sort {{kind}} tickets.","name":"sorter"},{"role":"user","content":"{{ticket}}"}]""", new PromptVariable("kind", "string", "support"));
        var values = prompt.Bind(Json("""{"ticket":"Printer on fire"}"""), out _)!;

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartArray();
            prompt.WriteMessages(json, values);
            json.WriteEndArray();
        }

        Assert.Equal("""[{"role":"system","content":"Sort support tickets.","name":"sorter"},{"role":"user","content":"Printer on fire"}]""", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData("""{}""", "variables.name: required by prompt 'support' version 3 and not given.")]
    [InlineData("""{"nmae":"Ana"}""", "variables.nmae: not a variable of prompt 'support' version 3 (it has: limit, name).")]
    [InlineData("""{"name":"Ana","limit":"many"}""", "variables.limit: must be a number, not string.")]
    [InlineData("""{"name":{"first":"Ana"}}""", "variables.name: must be a string, not object.")]
    [InlineData("""["Ana"]""", "variables: must be a JSON object of variable names and values.")]
    public void A_missing_unknown_or_mistyped_variable_is_named(string variables, string expected)
    {
        var prompt = Compile(PromptKind.Text, "{{name}} may see {{limit}} items", new PromptVariable("limit", "number", "3"));

        Assert.Null(prompt.Bind(Json(variables), out var problem));
        Assert.Equal(expected, problem);
    }

    [Theory]
    [InlineData(false, "{{#open}} never closed")]
    [InlineData(true, """{"role":"user"}""")]
    [InlineData(true, """[{"content":"no role"}]""")]
    [InlineData(true, "[not json")]
    public void A_template_that_cannot_render_is_refused_with_the_reason(bool chat, string template)
    {
        var kind = chat ? PromptKind.Chat : PromptKind.Text;
        var version = new PromptVersion(1, new PromptDraft { Name = "p", Kind = kind, Template = template }, DateTimeOffset.UnixEpoch, "h");

        Assert.Null(CompiledPrompt.TryCompile(version, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
