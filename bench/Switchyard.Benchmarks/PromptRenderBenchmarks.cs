using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Prompts;

namespace Switchyard.Benchmarks;

/// <summary>
/// What a call that names a prompt will pay once the version is in memory: binding its variables against the
/// declaration and rendering a two-message chat template, against copying the same messages unrendered
/// (what a call without a prompt reference writes anyway). The budget is 20 µs p50 for resolving
/// and rendering.
/// </summary>
[MemoryDiagnoser]
public class PromptRenderBenchmarks
{
    private CompiledPrompt _prompt = null!;
    private JsonElement _variables;
    private JsonElement _messages;
    private readonly ArrayBufferWriter<byte> _output = new(4096);

    [GlobalSetup]
    public void Setup()
    {
        const string Template = """[{"role":"system","content":"You sort {{product}} support tickets by urgency ({{#vip}}VIP customer, {{/vip}}limit {{limit}} words)."},{"role":"user","content":"{{ticket}}"}]""";
        var version = new PromptVersion(1, new PromptDraft
        {
            Name = "triage",
            Kind = PromptKind.Chat,
            Template = Template,
            Variables = [new PromptVariable("product", "string", "Switchyard"), new PromptVariable("vip", "boolean", "false"), new PromptVariable("limit", "number", "50"), new PromptVariable("ticket")],
        }, DateTimeOffset.UnixEpoch, "h");
        _prompt = CompiledPrompt.TryCompile(version, out var problem) ?? throw new InvalidOperationException(problem);
        _variables = JsonDocument.Parse("""{"ticket":"The dashboard shows no traces since this morning and our on-call engineer cannot find why.","vip":true}""").RootElement.Clone();
        _messages = JsonDocument.Parse(Template).RootElement.Clone();
    }

    [Benchmark(Baseline = true, Description = "copy the messages unrendered")]
    public int Copy()
    {
        _output.ResetWrittenCount();
        using var json = new Utf8JsonWriter(_output);
        _messages.WriteTo(json);
        json.Flush();
        return _output.WrittenCount;
    }

    [Benchmark(Description = "bind the variables and render the chat template")]
    public int Render()
    {
        _output.ResetWrittenCount();
        var values = _prompt.Bind(_variables, out _)!;
        using var json = new Utf8JsonWriter(_output);
        json.WriteStartArray();
        _prompt.WriteMessages(json, values);
        json.WriteEndArray();
        json.Flush();
        return _output.WrittenCount;
    }
}
