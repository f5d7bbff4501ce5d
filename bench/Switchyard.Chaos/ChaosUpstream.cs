using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Switchyard.Chaos;

/// <summary>
/// <c>upstream</c>: an OpenAI-compatible server on 127.0.0.1 where each call independently fails with
/// probability <c>--fail-rate</c> in the way <c>--fault</c> says. Answers are pre-built byte arrays and
/// nothing is logged, so the upstream itself adds as little as possible to what is measured.
/// </summary>
internal sealed class ChaosUpstream
{
    private readonly UpstreamPayloads _payloads;
    private readonly TimeSpan _latency;
    private readonly double _failRate;
    private readonly Fault[] _faults;
    private readonly byte[]?[] _errorBodies;
    private readonly byte[]?[] _cutBodies;
    private readonly string _retryAfterSeconds;
    private readonly string _retryAfterMs;
    private readonly long _seed;
    private readonly long[] _byFault;
    private long _calls;
    private long _plain;
    private long _streams;
    private long _faultCount;
    private long _clientGone;

    private ChaosUpstream(string model, double latencyMs, double failRate, Fault[] faults, int retryAfterMs, long seed)
    {
        _payloads = new UpstreamPayloads(model);
        _latency = TimeSpan.FromMilliseconds(latencyMs);
        _failRate = failRate;
        _faults = faults;
        _seed = seed;
        _byFault = new long[faults.Length];
        _errorBodies = [.. faults.Select(f => f.Kind == FaultKind.Status ? UpstreamPayloads.Error(f.Value) : null)];
        _cutBodies = [.. faults.Select(f => f.Kind == FaultKind.Cut ? _payloads.StreamPrefix(f.Value) : null)];
        _retryAfterSeconds = ((retryAfterMs + 999) / 1000).ToString(CultureInfo.InvariantCulture);
        _retryAfterMs = retryAfterMs.ToString(CultureInfo.InvariantCulture);
    }

    public static async Task<int> RunAsync(Options options)
    {
        var port = options.Int("port", 9200);
        var latencyMs = options.Double("latency-ms", 1);
        var failRate = options.Double("fail-rate", 0);
        var faultText = options.String("fault", "status:500");
        var retryAfterMs = options.Int("retry-after-ms", 1000);
        var seed = options.Int("seed", 1);
        var model = options.String("model", "chaos-model");
        options.RejectUnknown();
        if (port is < 1 or > 65535)
        {
            throw new ArgumentException("--port must be 1-65535");
        }

        if (failRate is < 0 or > 1 || latencyMs < 0 || retryAfterMs < 0)
        {
            throw new ArgumentException("--fail-rate must be in [0, 1]; --latency-ms and --retry-after-ms must not be negative");
        }

        var faults = faultText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Fault.Parse).ToArray();
        if (faults.Length == 0)
        {
            throw new ArgumentException("--fault is empty");
        }

        var upstream = new ChaosUpstream(model, latencyMs, failRate, faults, retryAfterMs, seed);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(System.Net.IPAddress.Loopback, port);
        });

        var app = builder.Build();
        app.MapPost("/v1/chat/completions", upstream.ChatAsync);
        app.MapGet("/v1/models", () => Results.Bytes(upstream._payloads.Models, "application/json"));
        app.MapGet("/stats", () => Results.Bytes(upstream.Stats(), "application/json"));
        app.MapGet("/", () => Results.Text("ok"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chaos upstream on http://127.0.0.1:{port}: latency {latencyMs} ms, fail-rate {failRate}, fault {faultText}, retry-after {retryAfterMs} ms, seed {seed}"));
        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    private async Task ChatAsync(HttpContext http)
    {
        var index = Interlocked.Increment(ref _calls) - 1;
        var aborted = http.RequestAborted;
        try
        {
            var (stream, includeUsage) = await ReadFlagsAsync(http.Request.BodyReader, aborted).ConfigureAwait(false);
            Interlocked.Increment(ref stream ? ref _streams : ref _plain);
            if (_latency > TimeSpan.Zero)
            {
                await Task.Delay(_latency, aborted).ConfigureAwait(false);
            }

            var f = PickFault(index);
            if (f < 0)
            {
                await AnswerAsync(http, stream, includeUsage, aborted).ConfigureAwait(false);
                return;
            }

            Interlocked.Increment(ref _faultCount);
            Interlocked.Increment(ref _byFault[f]);
            var fault = _faults[f];
            switch (fault.Kind)
            {
                case FaultKind.Status:
                    await StatusAsync(http.Response, fault.Value, _errorBodies[f]!, aborted).ConfigureAwait(false);
                    break;
                case FaultKind.Reset:
                    http.Abort();
                    break;
                case FaultKind.Hang:
                    await Task.Delay(Timeout.InfiniteTimeSpan, aborted).ConfigureAwait(false);
                    break;
                case FaultKind.SlowFirstByte:
                    await Task.Delay(fault.Value, aborted).ConfigureAwait(false);
                    await AnswerAsync(http, stream, includeUsage, aborted).ConfigureAwait(false);
                    break;
                case FaultKind.Cut:
                    await CutAsync(http, stream, _cutBodies[f]!, aborted).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away (or a hang ended): nothing left to answer.
            Interlocked.Increment(ref _clientGone);
        }
    }

    /// <summary>The fault index for call <paramref name="index"/>, or -1 when it is answered normally.</summary>
    private int PickFault(long index)
    {
        if (_failRate <= 0 || Chance.Unit(_seed, 1, index) >= _failRate)
        {
            return -1;
        }

        return _faults.Length == 1 ? 0 : (int)(Chance.Unit(_seed, 2, index) * _faults.Length);
    }

    private Task AnswerAsync(HttpContext http, bool stream, bool includeUsage, CancellationToken aborted)
    {
        var response = http.Response;
        response.StatusCode = 200;
        if (!stream)
        {
            response.ContentType = "application/json";
            response.ContentLength = _payloads.Completion.Length;
            return response.Body.WriteAsync(_payloads.Completion, aborted).AsTask();
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return response.Body.WriteAsync(includeUsage ? _payloads.StreamWithUsage : _payloads.Stream, aborted).AsTask();
    }

    private async Task StatusAsync(HttpResponse response, int status, byte[] body, CancellationToken aborted)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (status == 429)
        {
            response.Headers.RetryAfter = _retryAfterSeconds;
            response.Headers["retry-after-ms"] = _retryAfterMs;
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, aborted).ConfigureAwait(false);
    }

    private async Task CutAsync(HttpContext http, bool stream, byte[] streamPrefix, CancellationToken aborted)
    {
        var response = http.Response;
        response.StatusCode = 200;
        if (stream)
        {
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(aborted).ConfigureAwait(false);
            await response.Body.WriteAsync(streamPrefix, aborted).ConfigureAwait(false);
        }
        else
        {
            // A plain answer cut half-way: the declared length is never reached.
            var body = _payloads.Completion;
            response.ContentType = "application/json";
            response.ContentLength = body.Length;
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), aborted).ConfigureAwait(false);
        }

        await response.Body.FlushAsync(aborted).ConfigureAwait(false);

        // Give the socket a moment to send what was flushed; an abort drops unsent output.
        await Task.Delay(1, aborted).ConfigureAwait(false);
        http.Abort();
    }

    private byte[] Stats()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("calls", Interlocked.Read(ref _calls));
            w.WriteNumber("plain", Interlocked.Read(ref _plain));
            w.WriteNumber("streams", Interlocked.Read(ref _streams));
            w.WriteNumber("faults", Interlocked.Read(ref _faultCount));
            w.WriteNumber("client_gone", Interlocked.Read(ref _clientGone));
            w.WriteStartObject("by_fault");
            for (var i = 0; i < _faults.Length; i++)
            {
                w.WriteNumber(_faults[i].Name, Interlocked.Read(ref _byFault[i]));
            }

            w.WriteEndObject();
            w.WriteNumber("fail_rate", _failRate);
            w.WriteNumber("latency_ms", _latency.TotalMilliseconds);
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads the whole (small) request body and finds <c>"stream": true</c> and <c>"include_usage": true</c> without a JSON parse.</summary>
    private static async Task<(bool Stream, bool IncludeUsage)> ReadFlagsAsync(PipeReader reader, CancellationToken aborted)
    {
        while (true)
        {
            var result = await reader.ReadAsync(aborted).ConfigureAwait(false);
            if (result.IsCompleted || result.IsCanceled)
            {
                var buffer = result.Buffer;
                ReadOnlySpan<byte> body = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
                var flags = (IsTrue(body, "\"stream\""u8), IsTrue(body, "\"include_usage\""u8));
                reader.AdvanceTo(buffer.End);
                return flags;
            }

            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>True when some occurrence of the quoted <paramref name="key"/> is followed by <c>: true</c>.</summary>
    private static bool IsTrue(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key)
    {
        while (true)
        {
            var at = body.IndexOf(key);
            if (at < 0)
            {
                return false;
            }

            var rest = body[(at + key.Length)..].TrimStart(" \t\r\n"u8);
            if (rest.Length > 0 && rest[0] == (byte)':' && rest[1..].TrimStart(" \t\r\n"u8).StartsWith("true"u8))
            {
                return true;
            }

            body = body[(at + key.Length)..];
        }
    }
}
