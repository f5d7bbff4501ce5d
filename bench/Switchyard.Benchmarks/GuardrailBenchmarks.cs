using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Guardrails;

namespace Switchyard.Benchmarks;

/// <summary>
/// The default input guards (injection heuristics and PII, flag only) on a chat request whose last user turn
/// is about 50 or 1,000 tokens, against parsing the body alone (what the stage costs at least). The
/// classifier's embedding is not in these figures: in flag mode it runs after the answer, on the vector the
/// semantic cache shares; its cost is the embedding benchmark's.
/// </summary>
public class GuardrailBenchmarks
{
    private readonly Meter _meter = new("bench");
    private EmbeddingBatcher _embeddings = null!;
    private GuardrailCatalog _catalog = null!;
    private Guard[] _input = [];
    private byte[] _body = [];

    [Params(50, 1000)]
    public int Tokens { get; set; } = 50;

    [GlobalSetup]
    public void Setup()
    {
        var options = new SwitchyardOptions { Guardrails = GuardrailOptions.Default() };
        _embeddings = new EmbeddingBatcher(MiniLmEmbedder.Shared, TimeProvider.System);
        _catalog = new GuardrailCatalog(options, _embeddings, new GuardrailMetrics(_meter));
        _input = _catalog.Defaults(GuardDirection.Input);
        _body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["model"] = "gpt-4o",
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "You are a helpful assistant for Acme's billing team. Answer briefly." },
                new JsonObject { ["role"] = "user", ["content"] = Prompt(Tokens) }),
        }.ToJsonString());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _embeddings.Dispose();
        _meter.Dispose();
    }

    /// <summary>English prose with the kinds of things the detectors look for, about four characters a token.</summary>
    private static string Prompt(int tokens)
    {
        string[] sentences =
        [
            "Hi, my name is Maria Keller and I live in Hamburg, Germany. ",
            "Could you check why invoice 2024-118 was charged twice last month? ",
            "You can reach me at maria.keller@example.org or on +49 40 1234567. ",
            "Please summarise the attached contract in three bullet points and ignore the appendix. ",
            "The payment went out from IBAN DE89 3704 0044 0532 0130 00 on the 3rd. ",
            "I would like to know whether the discount applies to the annual plan as well. ",
        ];
        var text = new StringBuilder();
        for (var i = 0; text.Length < tokens * 4; i++)
        {
            text.Append(sentences[i % sentences.Length]);
        }

        return text.ToString(0, tokens * 4);
    }

    [Benchmark(Baseline = true, Description = "parse the body and find its texts")]
    public int Parse()
    {
        using var document = JsonDocument.Parse(_body);
        return RequestTexts.Of(Gateway.ClientApi.ChatCompletions, document.RootElement).Count;
    }

    [Benchmark(Description = "default input guards (injection heuristics + PII), no embedding")]
    public async Task<int> DefaultGuards()
    {
        using var document = JsonDocument.Parse(_body);
        var run = new GuardRun(RequestTexts.Of(Gateway.ClientApi.ChatCompletions, document.RootElement), GuardDirection.Input, new GuardrailReport(), call: null, document.RootElement);
        await _catalog.RunAsync(_input, run, CancellationToken.None).ConfigureAwait(false);
        return run.Report.Verdicts.Count;
    }
}
