using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Exchanges;
using Switchyard.Gateway;
using Switchyard.Providers;

namespace Switchyard.Routing;

/// <summary>
/// The last stage: picks deployments of the model group and runs the upstream exchange, trying the next
/// deployment when one fails before any byte reached the client.
/// </summary>
/// <remarks>
/// <code>
///  order deployments ─► build upstream body ─► send ─► headers ─► first body byte ─► client headers + relay
///        ▲                                       │ connect error / timeout / 429 / 5xx before first byte
///        └──────────────── next deployment ◄─────┘
/// </code>
/// A failure after the client got bytes is never retried: a stream ends with an error event instead.
/// </remarks>
internal sealed partial class RouteStage(TimeProvider time, Configuration.SwitchyardOptions options, ILogger<RouteStage> logger) : CallStage
{
    private readonly int _maxCapture = options.Tracing.MaxContentBytes;

    /// <summary>How long a failed stream stays open after its error event (see <see cref="RelayStreamAsync"/>).</summary>
    private static readonly TimeSpan StreamErrorGrace = TimeSpan.FromSeconds(1);

    /// <summary>Largest upstream error body read to relay or describe.</summary>
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>Largest non-streamed upstream answer relayed; beyond it the call fails with 502.</summary>
    private const int MaxResponseBody = 64 * 1024 * 1024;

    private const int StreamBufferSize = 16 * 1024;

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var group = call.Group!;
        var order = DeploymentSelector.Order(group);
        if (order.Length == 0)
        {
            await GatewayErrors.WriteAsync(call, 503, "server_error", $"Model '{group.Name}' has no deployment with a positive weight.").ConfigureAwait(false);
            return;
        }

        FailedAttempt? last = null;
        foreach (var deployment in order)
        {
            call.Deployment = deployment;
            if (call.Api == ClientApi.CountTokens && !deployment.Adapter.SpeaksAnthropic)
            {
                await CountTokensLocallyAsync(call, deployment).ConfigureAwait(false);
                return;
            }

            var exchange = ExchangeCatalog.For(call.Api, deployment);
            if (exchange is null)
            {
                last = new FailedAttempt(400, "invalid_request_error", $"Model '{group.Name}' is served by a {deployment.Provider} deployment, which cannot answer {Describe(call.Api)}.", null);
                continue;
            }

            var outcome = await TryDeploymentAsync(call, deployment, exchange).ConfigureAwait(false);
            if (outcome is null)
            {
                return; // Answered (success, or an error the client already received).
            }

            last = outcome;
            if (!outcome.Retryable || call.Aborted.IsCancellationRequested)
            {
                break;
            }
        }

        if (last is { } failure && !call.ResponseStarted)
        {
            if (failure.Body is { } body)
            {
                await WriteUpstreamErrorAsync(call, failure, body).ConfigureAwait(false);
            }
            else
            {
                await GatewayErrors.WriteAsync(call, failure.Status, failure.Type, failure.Message).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Null when the call was answered; else why this deployment failed before the client saw anything.</summary>
    private async Task<FailedAttempt?> TryDeploymentAsync(CallContext call, Deployment deployment, IExchange exchange)
    {
        using var requestBody = new PooledBufferWriter(call.Body.Length + 128);
        if (exchange.BuildRequest(call, deployment, requestBody) is { } translationError)
        {
            return new FailedAttempt(400, "invalid_request_error", translationError, null) { Retryable = false };
        }

        var timeout = EffectiveTimeout(call, deployment);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(call.Aborted);
        cts.CancelAfter(timeout);
        var attemptStart = Stopwatch.GetTimestamp();
        UpstreamResponse? upstream = null;
        try
        {
            upstream = await deployment.Adapter.SendAsync(deployment, new UpstreamRequest
            {
                Format = exchange.UpstreamFormat,
                Body = requestBody.WrittenMemory,
                Stream = call.Request.Stream,
                TraceParent = call.Trace.ToTraceParent(),
                ClientHeaders = ForwardedHeaders(call, exchange),
            }, cts.Token).ConfigureAwait(false);

            if (!upstream.IsSuccess)
            {
                using var errorBuffer = await ReadBoundedAsync(upstream.Body, MaxErrorBody, cts.Token).ConfigureAwait(false);
                var errorBody = errorBuffer.ToArray();
                var status = upstream.StatusCode;
                Record(call, deployment, attemptStart, status, $"upstream {status}");
                return new FailedAttempt(status, GatewayErrors.OpenAIType(status), UpstreamErrorText.Describe(status, errorBody), errorBody)
                {
                    Retryable = status is 408 or 409 or 429 or >= 500,
                    Exchange = exchange,
                };
            }

            if (call.Request.Stream && (upstream.IsEventStream || upstream.ContentType is null))
            {
                return await RelayStreamAsync(call, deployment, exchange, upstream, attemptStart, cts).ConfigureAwait(false);
            }

            using var body = await ReadBoundedAsync(upstream.Body, MaxResponseBody, cts.Token).ConfigureAwait(false);
            call.MarkFirstToken();
            using var output = new PooledBufferWriter(body.WrittenCount + 256);
            var summary = exchange.WriteResponse(call, body.WrittenSpan, output);
            Record(call, deployment, attemptStart, upstream.StatusCode, null);
            Account(call, summary);

            // An exchange that could not translate a 200 answer has already marked the call failed.
            var answered = call.ErrorType is null ? upstream.StatusCode : call.Status;
            call.Status = answered;
            var response = call.Http.Response;
            SetRouteHeaders(call, deployment, call.Attempts.Count);
            response.StatusCode = answered;
            response.ContentType = "application/json";
            response.ContentLength = output.WrittenCount;
            await response.Body.WriteAsync(output.WrittenMemory, call.Aborted).ConfigureAwait(false);
            if (call.CaptureContent)
            {
                call.CapturedResponse = output.WrittenSpan[..Math.Min(output.WrittenCount, _maxCapture + 1)].ToArray();
            }

            return null;
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            Record(call, deployment, attemptStart, 499, "client closed the connection");
            call.Fail(499, "client_closed", "The client closed the connection.");
            return null;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Record(call, deployment, attemptStart, 504, "timeout");
            return new FailedAttempt(504, "timeout", $"The upstream '{deployment.Name}' did not answer within {timeout.TotalSeconds:0.###} s.", null);
        }
        catch (HttpRequestException ex)
        {
            Log.UpstreamUnreachable(logger, deployment.Name, ex.Message);
            Record(call, deployment, attemptStart, 502, ex.Message);
            return new FailedAttempt(502, "upstream_unreachable", $"The upstream '{deployment.Name}' could not be reached: {ex.Message}", null);
        }
        catch (IOException ex) when (!call.ResponseStarted)
        {
            Record(call, deployment, attemptStart, 502, ex.Message);
            return new FailedAttempt(502, "upstream_error", $"The upstream '{deployment.Name}' broke the connection: {ex.Message}", null);
        }
        catch (ResponseTooLargeException)
        {
            Record(call, deployment, attemptStart, 502, "response too large");
            return new FailedAttempt(502, "upstream_error", $"The upstream '{deployment.Name}' answered with more than {MaxResponseBody} bytes.", null) { Retryable = false };
        }
        finally
        {
            if (upstream is not null)
            {
                await upstream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<FailedAttempt?> RelayStreamAsync(CallContext call, Deployment deployment, IExchange exchange, UpstreamResponse upstream, long attemptStart, CancellationTokenSource cts)
    {
        var transformer = exchange.CreateStreamTransformer(call);
        if (call.CaptureContent)
        {
            call.CapturedStream ??= new PooledBufferWriter(4096);
            call.CapturedStream.Clear();
            call.CapturedStreamFormat = exchange.UpstreamFormat;
        }

        var buffer = new PooledBufferWriter(StreamBufferSize);
        var scratch = new PooledBufferWriter(256);
        try
        {
            // Response headers wait for the upstream's first body byte, so a failure before it stays
            // invisible to the client and can go to the next deployment.
            var read = await upstream.Body.ReadAsync(buffer.GetMemory(StreamBufferSize), cts.Token).ConfigureAwait(false);
            if (read == 0)
            {
                Record(call, deployment, attemptStart, 502, "empty stream");
                return new FailedAttempt(502, "upstream_error", $"The upstream '{deployment.Name}' ended the stream before sending anything.", null);
            }

            buffer.Advance(read);
            var response = call.Http.Response;
            SetRouteHeaders(call, deployment, call.Attempts.Count + 1);
            response.StatusCode = 200;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            call.Status = 200;
            var writer = response.BodyWriter;
            await response.StartAsync(call.Aborted).ConfigureAwait(false);
            string? failure = null;
            try
            {
                while (true)
                {
                    var wrote = Drain(call, transformer, buffer, scratch, writer, _maxCapture);
                    if (wrote)
                    {
                        await writer.FlushAsync(call.Aborted).ConfigureAwait(false);
                    }

                    read = await upstream.Body.ReadAsync(buffer.GetMemory(StreamBufferSize), cts.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    buffer.Advance(read);
                }

            }
            catch (OperationCanceledException) when (!call.Aborted.IsCancellationRequested && cts.IsCancellationRequested)
            {
                failure = "The upstream stream timed out.";
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !call.Aborted.IsCancellationRequested)
            {
                failure = $"The upstream stream broke: {ex.Message}";
            }

            if (failure is null)
            {
                transformer.OnEnd(writer);
                if (!transformer.Completed)
                {
                    failure = "The upstream closed the stream before it was complete.";
                }
            }

            if (failure is not null)
            {
                transformer.OnError(failure, writer);
                call.Fail(502, "upstream_stream_error", failure);
            }

            await writer.FlushAsync(call.Aborted).ConfigureAwait(false);
            if (failure is not null)
            {
                // The error event tells SDKs that read it (Python, JS, Anthropic) what happened, and they
                // hang up. Clients that ignore it (the .NET SDK) would take a clean end for a complete
                // answer; after a grace period the connection is closed without the final chunk, so
                // they see a broken stream. Aborting at once would reset the connection before the
                // first kind had read the error event.
                try
                {
                    await Task.Delay(StreamErrorGrace, time, call.Aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client hung up first, as SDKs that read the error event do.
                }

                call.Http.Abort();
            }

            Record(call, deployment, attemptStart, failure is null ? 200 : 502, failure);
            AccountStream(call, transformer);
            return null;
        }
        finally
        {
            buffer.Dispose();
            scratch.Dispose();
        }
    }

    /// <summary>Hands every complete event in <paramref name="buffer"/> to the transformer; true when it wrote output.</summary>
    private static bool Drain(CallContext call, Streaming.IStreamTransformer transformer, PooledBufferWriter buffer, PooledBufferWriter scratch, IBufferWriter<byte> output, int maxCapture)
    {
        var consumed = 0;
        var wrote = false;
        while (true)
        {
            var span = buffer.WrittenSpan[consumed..];
            var end = Streaming.SseParser.FindEventEnd(span);
            if (end < 0)
            {
                break;
            }

            var sseEvent = Streaming.SseParser.Parse(span[..end], scratch);
            if (call.CapturedStream is { } capture && capture.WrittenCount <= maxCapture && !sseEvent.Data.IsEmpty)
            {
                Tracing.StreamAssembler.Append(capture, sseEvent.Data);
            }

            var hadContent = transformer.SawContent;
            transformer.OnEvent(sseEvent, output);
            if (!hadContent && transformer.SawContent)
            {
                call.MarkFirstToken();
            }

            wrote = true;
            consumed += end;
        }

        buffer.Consume(consumed);
        return wrote;
    }

    private static async Task CountTokensLocallyAsync(CallContext call, Deployment deployment)
    {
        var tokens = PromptTokenEstimator.Estimate(call.Body.Span, deployment.Model);
        SetRouteHeaders(call, deployment, call.Attempts.Count + 1);
        call.Status = 200;
        call.Usage = new TokenUsage(tokens, 0);
        var response = call.Http.Response;
        response.ContentType = "application/json";
        await response.WriteAsync($"{{\"input_tokens\":{tokens.ToString(CultureInfo.InvariantCulture)}}}", call.Aborted).ConfigureAwait(false);
    }

    private static async Task WriteUpstreamErrorAsync(CallContext call, FailedAttempt failure, byte[] upstreamBody)
    {
        call.Fail(failure.Status, failure.Type, failure.Message);
        using var output = new PooledBufferWriter(upstreamBody.Length + 256);
        if (failure.Exchange is { } exchange)
        {
            exchange.WriteError(call, failure.Status, upstreamBody, output);
        }
        else
        {
            GatewayErrors.Write(output, call.Api, failure.Status, failure.Type, failure.Message);
        }

        var response = call.Http.Response;
        if (call.Deployment is { } deployment)
        {
            SetRouteHeaders(call, deployment, call.Attempts.Count);
        }

        response.StatusCode = failure.Status;
        response.ContentType = "application/json";
        response.ContentLength = output.WrittenCount;
        await response.Body.WriteAsync(output.WrittenMemory, call.Aborted).ConfigureAwait(false);
    }

    /// <summary>Who answered and after how many tries; <paramref name="attempts"/> includes the answering one.</summary>
    private static void SetRouteHeaders(CallContext call, Deployment deployment, int attempts)
    {
        var headers = call.Http.Response.Headers;
        headers["x-switchyard-deployment"] = deployment.Name;
        headers["x-switchyard-attempts"] = attempts.ToString(CultureInfo.InvariantCulture);
        if (deployment.IsSimulated)
        {
            headers["x-switchyard-simulated"] = "true";
        }
    }

    private static void Record(CallContext call, Deployment deployment, long attemptStart, int status, string? error) =>
        call.Attempts.Add(new Attempt(deployment.Name, status, Stopwatch.GetElapsedTime(attemptStart), error));

    private static void Account(CallContext call, ResponseSummary summary)
    {
        call.UpstreamModel = summary.Model;
        call.SystemFingerprint = summary.SystemFingerprint;
        call.FinishReason = summary.FinishReason;
        if (summary.Usage is { } usage)
        {
            call.Usage = usage;
            call.UsageReported = true;
        }
    }

    private static void AccountStream(CallContext call, Streaming.IStreamTransformer transformer)
    {
        call.FinishReason = transformer.FinishReason;
        if (transformer is Streaming.PassthroughTap tap)
        {
            call.UpstreamModel = tap.Model;
            call.SystemFingerprint = tap.SystemFingerprint;
            if (!tap.UsageReported)
            {
                call.Usage = new TokenUsage(0, tap.ContentEvents);
            }
        }

        if (transformer.UsageReported)
        {
            call.Usage = transformer.Usage;
            call.UsageReported = true;
        }
    }

    private static TimeSpan EffectiveTimeout(CallContext call, Deployment deployment)
    {
        var timeout = deployment.Options.Timeout;
        if (call.Http.Request.Headers.TryGetValue("x-switchyard-timeout", out var header)
            && double.TryParse(header.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds < timeout.TotalSeconds)
        {
            timeout = TimeSpan.FromSeconds(seconds);
        }

        return timeout;
    }

    private static Dictionary<string, string>? ForwardedHeaders(CallContext call, IExchange exchange)
    {
        if (exchange.UpstreamFormat is not (WireFormat.AnthropicMessages or WireFormat.AnthropicCountTokens) || call.Api is not (ClientApi.Messages or ClientApi.CountTokens))
        {
            return null;
        }

        Dictionary<string, string>? headers = null;
        foreach (var name in (string[])["anthropic-beta", "anthropic-version"])
        {
            if (call.Http.Request.Headers.TryGetValue(name, out var value))
            {
                (headers ??= new(StringComparer.OrdinalIgnoreCase))[name] = value.ToString();
            }
        }

        return headers;
    }

    /// <summary>Reads a whole body into pooled memory; the caller disposes the buffer.</summary>
    private static async Task<PooledBufferWriter> ReadBoundedAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        var buffer = new PooledBufferWriter(8192);
        try
        {
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(8192), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > limit)
                {
                    throw new ResponseTooLargeException();
                }
            }
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static string Describe(ClientApi api) => api switch
    {
        ClientApi.ChatCompletions => "/v1/chat/completions",
        ClientApi.Responses => "/v1/responses",
        ClientApi.Embeddings => "/v1/embeddings",
        ClientApi.Messages => "/v1/messages",
        _ => "/v1/messages/count_tokens",
    };

    private sealed record FailedAttempt(int Status, string Type, string Message, byte[]? Body)
    {
        public bool Retryable { get; init; } = true;

        public IExchange? Exchange { get; init; }
    }

    private sealed class ResponseTooLargeException : Exception;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Upstream {Deployment} unreachable: {Reason}")]
        public static partial void UpstreamUnreachable(ILogger logger, string deployment, string reason);
    }
}
