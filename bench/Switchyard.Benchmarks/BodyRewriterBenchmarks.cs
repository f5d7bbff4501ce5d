using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Buffers;
using Switchyard.Ingress;

namespace Switchyard.Benchmarks;

/// <summary><see cref="BodyRewriter.Rewrite"/> (model swap, usage insertion for streams) against a plain copy.</summary>
public class BodyRewriterBenchmarks
{
    private static readonly JsonEncodedText s_model = JsonEncodedText.Encode("gpt-4o-mini-2024-07-18");
    private static readonly RequestLimits s_limits = new(64, 4096);
    private byte[] _body = [];
    private byte[] _streamBody = [];
    private ParsedRequest _request = ParsedRequest.Empty;
    private ParsedRequest _streamRequest = ParsedRequest.Empty;
    private readonly PooledBufferWriter _output = new(64 * 1024);

    [Params("small", "100-messages")]
    public string Body { get; set; } = "small";

    [GlobalSetup]
    public void Setup()
    {
        _body = Body == "small" ? Payloads.SmallRequest : Payloads.LargeRequest;
        _streamBody = Payloads.SmallStreamRequest;
        RequestParser.TryParse(_body, s_limits, out _request, out _);
        RequestParser.TryParse(_streamBody, s_limits, out _streamRequest, out _);
    }

    [GlobalCleanup]
    public void Cleanup() => _output.Dispose();

    [Benchmark(Baseline = true, Description = "copy body")]
    public int Copy()
    {
        _output.Clear();
        _output.Write(_body);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "Rewrite (model swap)")]
    public int Rewrite()
    {
        _output.Clear();
        BodyRewriter.Rewrite(_body, _request, s_model, forceUsage: true, _output);
        return _output.WrittenCount;
    }

    [Benchmark(Description = "Rewrite (small stream body, insert include_usage)")]
    public int RewriteStream()
    {
        _output.Clear();
        BodyRewriter.Rewrite(_streamBody, _streamRequest, s_model, forceUsage: true, _output);
        return _output.WrittenCount;
    }
}
