using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Gateway;
using Switchyard.Ingress;
using Switchyard.Prompts;
using Switchyard.Prompts.Serving;

namespace Switchyard.Benchmarks;

/// <summary>
/// What the prompt stage adds to a call whose prompt is in memory: finding the label's version, binding
/// the variables, rendering the template into the request (JSON rewrite) and parsing the new body, against
/// parsing a request that already carries the same messages (what every call pays). The budget is
/// 20 µs p50 for resolving and rendering.
/// </summary>
[MemoryDiagnoser]
public class PromptResolutionBenchmarks
{
    private const string Template = """[{"role":"system","content":"You sort {{product}} support tickets by urgency ({{#vip}}VIP customer, {{/vip}}limit {{limit}} words)."},{"role":"user","content":"{{ticket}}"}]""";
    private static readonly RequestLimits Limits = new(64, 2048);

    private string _directory = "";
    private PromptCatalog _catalog = null!;
    private PromptReference _reference = null!;
    private byte[] _referencing = [];
    private byte[] _plain = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "switchyard-bench-" + Guid.NewGuid().ToString("N"));
        var database = new Storage.SqliteDatabase(_directory);
        database.Migrate();
        var changes = new PromptChangeFeed();
        var store = new ObservedPromptStore(new Storage.Sqlite.SqlitePromptStore(database), changes);
        var draft = new PromptDraft
        {
            Name = "triage",
            Kind = PromptKind.Chat,
            Template = Template,
            Variables = [new PromptVariable("product", "string", "Switchyard"), new PromptVariable("vip", "boolean", "false"), new PromptVariable("limit", "number", "50"), new PromptVariable("ticket")],
            ModelGroup = "sandbox",
            ParametersJson = """{"temperature":0.2,"max_tokens":200}""",
        };
        var (version, _) = store.AddVersionAsync(draft, DateTimeOffset.UnixEpoch, CancellationToken.None).GetAwaiter().GetResult();
        store.MoveLabelAsync("triage", "production", version.Version, "bench", null, null, DateTimeOffset.UnixEpoch, CancellationToken.None).GetAwaiter().GetResult();
        _catalog = new PromptCatalog(store, changes);
        const string Variables = """{"ticket":"The dashboard shows no traces since this morning and our on-call engineer cannot find why.","vip":true}""";
        _reference = new PromptReference("triage", "production", null, JsonDocument.Parse(Variables).RootElement.Clone(), InBody: true);
        _referencing = System.Text.Encoding.UTF8.GetBytes($$"""{"model":"sandbox","prompt":{"name":"triage","variables":{{Variables}}},"messages":[{"role":"user","content":"Please hurry."}]}""");
        _plain = System.Text.Encoding.UTF8.GetBytes("""{"model":"sandbox","messages":[{"role":"system","content":"You sort Switchyard support tickets by urgency (VIP customer, limit 50 words)."},{"role":"user","content":"The dashboard shows no traces since this morning and our on-call engineer cannot find why."},{"role":"user","content":"Please hurry."}],"temperature":0.2,"max_tokens":200}""");
        if (Resolve() == 0)
        {
            throw new InvalidOperationException("the prompt did not resolve");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _catalog.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "parse a request that carries the messages itself")]
    public int Parse() => RequestParser.TryParse(_plain, Limits, out var parsed, out _) ? parsed.MessageCount : 0;

    [Benchmark(Description = "resolve the label, bind, render into the request and parse it")]
    public int Resolve()
    {
        var resolution = _catalog.ResolveAsync(_reference, CancellationToken.None);
        var prompt = resolution.Result.Prompt!; // held in memory: completes synchronously
        var values = prompt.Bind(_reference.Variables, out _)!;
        var body = PromptRequestBuilder.Build(ClientApi.ChatCompletions, _referencing, prompt, values, removePrompt: true, mayOverride: false);
        return RequestParser.TryParse(body, Limits, out var parsed, out _) ? parsed.MessageCount : 0;
    }
}
