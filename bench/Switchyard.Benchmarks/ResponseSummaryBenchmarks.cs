using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Accounting;

namespace Switchyard.Benchmarks;

/// <summary><see cref="ResponseSummaryReader.Read"/> against a DOM parse reading the same fields.</summary>
public class ResponseSummaryBenchmarks
{
    private byte[] _json = [];

    [Params("completion", "stream-chunk")]
    public string Payload { get; set; } = "completion";

    [GlobalSetup]
    public void Setup() => _json = Payload == "completion" ? Payloads.Completion : Payloads.StreamChunk;

    [Benchmark(Baseline = true, Description = "JsonDocument")]
    public long JsonDocumentRead()
    {
        using var document = JsonDocument.Parse(_json);
        var root = document.RootElement;
        long tokens = 0;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            tokens = usage.GetProperty("prompt_tokens").GetInt64() + usage.GetProperty("completion_tokens").GetInt64();
        }

        var model = root.TryGetProperty("model", out var m) ? m.GetString() : null;
        string? finish = null;
        if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
            && choices[0].TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String)
        {
            finish = f.GetString();
        }

        return tokens + (model?.Length ?? 0) + (finish?.Length ?? 0);
    }

    [Benchmark(Description = "ResponseSummaryReader.Read")]
    public long Read()
    {
        var summary = ResponseSummaryReader.Read(_json, anthropic: false);
        return (summary.Usage?.InputTokens ?? 0) + (summary.Usage?.OutputTokens ?? 0) + (summary.Model?.Length ?? 0) + (summary.FinishReason?.Length ?? 0);
    }
}
