using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Ingress;

namespace Switchyard.Benchmarks;

/// <summary><see cref="RequestParser.TryParse"/> against a full DOM parse of the same body.</summary>
public class RequestParserBenchmarks
{
    private static readonly RequestLimits s_limits = new(64, 4096);
    private byte[] _body = [];

    [Params("small", "100-messages")]
    public string Body { get; set; } = "small";

    [GlobalSetup]
    public void Setup() => _body = Body == "small" ? Payloads.SmallRequest : Payloads.LargeRequest;

    [Benchmark(Baseline = true, Description = "JsonDocument.Parse")]
    public int JsonDocumentParse()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetProperty("messages").GetArrayLength();
    }

    [Benchmark(Description = "RequestParser.TryParse")]
    public int TryParse()
    {
        RequestParser.TryParse(_body, s_limits, out var request, out _);
        return request.MessageCount;
    }
}
