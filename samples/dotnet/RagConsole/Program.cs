// A traced retrieval-augmented answer through a Switchyard gateway: embed a few documents and the question,
// pick the closest documents by cosine similarity inside a "retrieve" span, then ask the chat model with them
// as context. The application's spans go to the gateway by OTLP, so /ui/traces/{id} shows one tree: the
// application's steps with the gateway's embedding and chat calls nested under them.
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchyard.Client;

var question = args.Length > 0 ? string.Join(' ', args) : "How do I rotate a virtual key?";
var chatModel = Environment.GetEnvironmentVariable("SWITCHYARD_CHAT_MODEL") ?? "sandbox";
var embeddingModel = Environment.GetEnvironmentVariable("SWITCHYARD_EMBEDDING_MODEL") ?? "sandbox";
string[] documents =
[
    "Virtual keys are created with switchyard keys create; rotate a key by creating a new one and revoking the old key.",
    "The exact cache answers a repeated request from memory; the semantic cache answers a similar one.",
    "Budgets can be daily, monthly or total, and a hard budget refuses calls once it is spent.",
    "Fallbacks send a failed call to the next model group in the order the configuration gives.",
    "Send end-user feedback to /api/feedback with the trace id from the x-switchyard-trace-id header.",
];

// SWITCHYARD_URL and SWITCHYARD_API_KEY (defaults: http://127.0.0.1:4000, no key).
var client = new SwitchyardClient(new SwitchyardClientOptions
{
    Defaults = new SwitchyardRequestOptions { Tags = ["sample:rag-console"] },
});
var apiKey = Environment.GetEnvironmentVariable(SwitchyardClientOptions.ApiKeyVariable);

using var source = new ActivitySource("Switchyard.Samples.RagConsole");
var tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource(source.Name)
    .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("rag-console"));
if (!string.IsNullOrEmpty(apiKey))
{
    // The gateway takes OTLP/HTTP at /v1/traces with a key that has the ingest scope (or the admin key).
    tracing.AddOtlpExporter(o =>
    {
        o.Endpoint = new Uri(client.Endpoint, "v1/traces");
        o.Protocol = OtlpExportProtocol.HttpProtobuf;
        o.Headers = "Authorization=Bearer " + apiKey;
    });
}
else
{
    Console.WriteLine("No SWITCHYARD_API_KEY: the application's spans are not exported (the gateway needs a key for /v1/traces).");
}

using var tracerProvider = tracing.Build();
var embeddings = client.GetEmbeddingGenerator(embeddingModel);
var chat = client.GetChatClient(chatModel);

using (var answerSpan = source.StartActivity("rag.answer"))
{
    answerSpan?.SetTag("input.value", question);

    string[] context;
    using (var retrieve = source.StartActivity("rag.retrieve"))
    {
        // OpenInference's span kind: the gateway shows this span as a retrieval step.
        retrieve?.SetTag("openinference.span.kind", "RETRIEVER");
        var vectors = await embeddings.GenerateAsync([question, .. documents]);
        var query = vectors[0].Vector;
        var ranked = documents
            .Select((text, i) => (Text: text, Score: Cosine(query.Span, vectors[i + 1].Vector.Span)))
            .OrderByDescending(d => d.Score)
            .Take(2)
            .ToArray();
        foreach (var (text, score) in ranked)
        {
            Console.WriteLine($"retrieved {score:0.000}: {text}");
        }

        retrieve?.SetTag("retrieval.documents.count", ranked.Length);
        context = [.. ranked.Select(d => d.Text)];
    }

    List<ChatMessage> messages =
    [
        new(ChatRole.System, "Answer from the context only.\nContext:\n" + string.Join('\n', context)),
        new(ChatRole.User, question),
    ];
    var response = await chat.GetResponseAsync(messages, new ChatOptions().WithSwitchyard(s => s.Session = "rag-console"));
    answerSpan?.SetTag("output.value", response.Text);
    Console.WriteLine($"answer: {response.Text}");
    Console.WriteLine($"trace: {response.GetSwitchyardTraceId()}");
}

// Spans are batched; flush before the process ends so the trace is complete in the gateway.
tracerProvider.ForceFlush();

static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
{
    float dot = 0, normA = 0, normB = 0;
    for (var i = 0; i < a.Length; i++)
    {
        dot += a[i] * b[i];
        normA += a[i] * a[i];
        normB += b[i] * b[i];
    }

    return normA == 0 || normB == 0 ? 0 : dot / (MathF.Sqrt(normA) * MathF.Sqrt(normB));
}
