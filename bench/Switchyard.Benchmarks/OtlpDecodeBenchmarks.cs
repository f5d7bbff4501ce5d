using BenchmarkDotNet.Attributes;
using Switchyard.IngestLoad;
using Switchyard.Telemetry.Otlp;

namespace Switchyard.Benchmarks;

/// <summary>
/// <see cref="OtlpTraceDecoder.TryDecode"/> on the 500-span GenAI export that
/// <c>switchyard-ingestload ingest</c> sends (agent root, two chat spans with messages, a tool call, a
/// retrieval): the CPU the OTLP endpoint spends per export before the span writer sees it.
/// </summary>
public class OtlpDecodeBenchmarks
{
    private byte[] _body = [];

    [Params("protobuf", "json")]
    public string Format { get; set; } = "protobuf";

    [GlobalSetup]
    public void Setup()
    {
        var template = OtlpTemplate.Create(Format == "json", 500, 1000);
        _body = template.NewBuffer();
    }

    [Benchmark(Description = "TryDecode, 500 spans")]
    public int Decode()
    {
        OtlpTraceDecoder.TryDecode(_body, Format == "json" ? OtlpEncoding.Json : OtlpEncoding.Protobuf, out var spans, out _);
        return spans.Count;
    }
}
