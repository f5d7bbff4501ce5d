using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Switchyard.Accounting;
using Switchyard.Buffers;
using Switchyard.Exchanges;
using Switchyard.Gateway;
using Switchyard.Providers;

namespace Switchyard.Routing;

/// <summary>
/// One try of one deployment: builds the upstream body, sends it, and either relays the answer to the
/// client or reports, without having sent the client anything, why it failed.
/// </summary>
/// <remarks>
/// <code>
///  build body ─► send ─► headers ─► first body byte ─► client headers + relay ─► done
///                  │ connect error / timeout / 4xx / 5xx / broken before the first byte
///                  └─► AttemptResult (nothing sent: routing may retry or fall back)
/// </code>
/// Response headers wait for the upstream's first body byte, so every failure before it stays
/// invisible to the client. A failure after it ends a stream with an error event; it is never retried.
/// </remarks>
internal sealed partial class UpstreamAttempt(TimeProvider time, ILogger<UpstreamAttempt> logger)
{
    /// <summary>How long a failed stream stays open after its error event (see <see cref="RelayStreamAsync"/>).</summary>
    private static readonly TimeSpan s_streamErrorGrace = TimeSpan.FromSeconds(1);

    /// <summary>Largest upstream error body read to relay or describe.</summary>
    private const int MaxErrorBody = 64 * 1024;

    /// <summary>Largest non-streamed upstream answer relayed; beyond it the call fails with 502.</summary>
    private const int MaxResponseBody = 64 * 1024 * 1024;

    private const int StreamBufferSize = 16 * 1024;

    /// <param name="total">The attempt's whole budget: the deployment's timeout, or less when the call's deadline is nearer.</param>
    /// <param name="number">This attempt's number within the call, from 1, for <c>x-switchyard-attempts</c>.</param>
    public async ValueTask<AttemptResult> RunAsync(CallContext call, Deployment deployment, IExchange exchange, TimeSpan total, int number, TimeSpan waited)
    {
        using var requestBody = new PooledBufferWriter(call.Body.Length + 128);
        var attemptStart = Stopwatch.GetTimestamp();
        var record = new AttemptRecorder(call, deployment, attemptStart, waited);
        if (exchange.BuildRequest(call, deployment, requestBody) is { } translationError)
        {
            record.Add(400, translationError, FailureReason.ClientError);
            return AttemptResult.Failed(FailureReason.ClientError, 400, "invalid_request_error", translationError);
        }

        using var timer = new AttemptTimer(time, total, call.Aborted);
        var stream = call.Request.Stream;
        if (stream)
        {
            timer.ArmFirstByte(deployment.Options.FirstTokenTimeout);
        }

        UpstreamResponse? upstream = null;
        try
        {
            upstream = await deployment.Adapter.SendAsync(deployment, new UpstreamRequest
            {
                Format = exchange.UpstreamFormat,
                Body = requestBody.WrittenMemory,
                Stream = stream,
                TraceParent = call.Trace.ToTraceParent(),
                ClientHeaders = ForwardedHeaders(call, exchange),
            }, timer.Token).ConfigureAwait(false);

            if (!upstream.IsSuccess)
            {
                using var errorBuffer = await ReadBoundedAsync(upstream.Body, MaxErrorBody, timer.Token).ConfigureAwait(false);
                // Upstreams quote the credentials they refused; the body is relayed, traced and described from here on.
                var errorBody = deployment.Scrubber.Scrub(errorBuffer.ToArray());
                var status = upstream.StatusCode;
                var reason = FailureReasons.Classify(status, errorBody);
                record.Add(status, $"upstream {status}", reason);
                // The message is scrubbed again: JSON escapes the body scrub does not know decode to the raw key here.
                var message = deployment.Scrubber.Scrub(UpstreamErrorText.Describe(status, errorBody));
                return AttemptResult.Upstream(reason, status, message, errorBody, exchange, upstream.RetryAfter);
            }

            if (deployment.TracksHeadroom)
            {
                deployment.Health.ObserveRateLimit(upstream.ReadRateLimit(time.GetUtcNow()), time.GetUtcNow());
            }

            if (stream && (upstream.IsEventStream || upstream.ContentType is null))
            {
                return await RelayStreamAsync(call, deployment, exchange, upstream, record, timer, number).ConfigureAwait(false);
            }

            using var body = await ReadBoundedAsync(upstream.Body, MaxResponseBody, timer.Token).ConfigureAwait(false);
            call.MarkFirstToken();
            using var output = new PooledBufferWriter(body.WrittenCount + 256);
            var summary = exchange.WriteResponse(call, body.WrittenSpan, output);
            var written = output.WrittenMemory;
            if (call.ErrorType is not null)
            {
                // A 200 the exchange could not translate is an upstream error in disguise (Anthropic sends
                // {"type":"error"} bodies): its message goes to the client and the trace.
                written = deployment.Scrubber.Scrub(output.WrittenSpan.ToArray());
                call.ErrorMessage = deployment.Scrubber.Scrub(call.ErrorMessage);
            }

            record.Add(upstream.StatusCode, null, null);
            deployment.Health.ObserveLatency(Stopwatch.GetElapsedTime(attemptStart));
            Account(call, summary);

            // An exchange that could not translate a 200 answer has already marked the call failed.
            var answered = call.ErrorType is null ? upstream.StatusCode : call.Status;
            SetRouteHeaders(call, deployment, number);
            await call.Response.SendAsync(answered, written, Responses.AnswerOrigin.Upstream).ConfigureAwait(false);
            return AttemptResult.Answered;
        }
        catch (OperationCanceledException) when (call.Aborted.IsCancellationRequested)
        {
            record.Add(499, "client closed the connection", null);
            call.Fail(499, "client_closed", "The client closed the connection.");
            return AttemptResult.ClientGone;
        }
        catch (OperationCanceledException) when (timer.Token.IsCancellationRequested && !call.ResponseStarted)
        {
            var reason = timer.Expired;
            var what = reason switch
            {
                FailureReason.FirstTokenTimeout => $"sent no first byte within {Seconds(deployment.Options.FirstTokenTimeout)} s",
                _ => $"did not answer within {Seconds(total)} s",
            };
            record.Add(504, reason.Label(), reason);
            return AttemptResult.Failed(reason, 504, "timeout", $"The upstream '{deployment.Name}' {what}.");
        }
        catch (HttpRequestException ex) when (!call.ResponseStarted)
        {
            // .NET quotes a reply it cannot parse (a header line, a status line) in the message, credentials and all.
            Log.UpstreamUnreachable(logger, deployment.Name, deployment.Scrubber.Scrub(ex.Message));
            var detail = deployment.Scrubber.Scrub(ex.InnerException is TimeoutException timeout ? timeout.Message : ex.Message);
            record.Add(502, detail, FailureReason.Unreachable);
            return AttemptResult.Failed(FailureReason.Unreachable, 502, "upstream_unreachable", $"The upstream '{deployment.Name}' could not be reached: {detail}");
        }
        catch (IOException ex) when (!call.ResponseStarted)
        {
            var detail = deployment.Scrubber.Scrub(ex.Message);
            record.Add(502, detail, FailureReason.Broken);
            return AttemptResult.Failed(FailureReason.Broken, 502, "upstream_error", $"The upstream '{deployment.Name}' broke the connection: {detail}");
        }
        catch (ResponseTooLargeException)
        {
            record.Add(502, "response too large", FailureReason.InvalidResponse);
            return AttemptResult.Failed(FailureReason.InvalidResponse, 502, "upstream_error", $"The upstream '{deployment.Name}' answered with more than {MaxResponseBody} bytes.");
        }
        finally
        {
            if (upstream is not null)
            {
                await upstream.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<AttemptResult> RelayStreamAsync(CallContext call, Deployment deployment, IExchange exchange, UpstreamResponse upstream, AttemptRecorder record, AttemptTimer timer, int number)
    {
        var transformer = exchange.CreateStreamTransformer(call);
        var buffer = new PooledBufferWriter(StreamBufferSize);
        var scratch = new PooledBufferWriter(256);
        try
        {
            var read = await upstream.Body.ReadAsync(buffer.GetMemory(StreamBufferSize), timer.Token).ConfigureAwait(false);
            if (read == 0)
            {
                record.Add(502, "empty stream", FailureReason.Broken);
                return AttemptResult.Failed(FailureReason.Broken, 502, "upstream_error", $"The upstream '{deployment.Name}' ended the stream before sending anything.");
            }

            deployment.Health.ObserveFirstToken(Stopwatch.GetElapsedTime(record.Started));
            timer.ArmIdle(deployment.Options.IdleTimeout);
            buffer.Advance(read);
            var response = call.Http.Response;
            SetRouteHeaders(call, deployment, number);
            response.StatusCode = 200;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            call.Status = 200;
            var writer = response.BodyWriter;
            await response.StartAsync(call.Aborted).ConfigureAwait(false);
            // Where the transformer writes: the response itself, unless a response component rewrites client events.
            var output = call.Response.BeginStream(writer, exchange.UpstreamFormat);
            string? failure = null;
            var failureReason = FailureReason.Broken;
            try
            {
                while (true)
                {
                    var wrote = Drain(call, transformer, buffer, scratch, output);
                    if (wrote)
                    {
                        call.Response.Pump();
                        await writer.FlushAsync(call.Aborted).ConfigureAwait(false);
                    }

                    if (call.Response.IsCut)
                    {
                        break; // a component ended the answer with an error; the rest of the upstream's is not wanted
                    }

                    read = await upstream.Body.ReadAsync(buffer.GetMemory(StreamBufferSize), timer.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    timer.ArmIdle(deployment.Options.IdleTimeout);
                    buffer.Advance(read);
                }
            }
            catch (OperationCanceledException) when (!call.Aborted.IsCancellationRequested && timer.Token.IsCancellationRequested)
            {
                failureReason = timer.Expired;
                failure = failureReason == FailureReason.IdleTimeout
                    ? $"The upstream stream went silent for more than {Seconds(deployment.Options.IdleTimeout)} s."
                    : "The upstream stream timed out.";
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !call.Aborted.IsCancellationRequested)
            {
                // .NET quotes the bytes of a chunk header it cannot parse, as hex.
                failure = $"The upstream stream broke: {deployment.Scrubber.Scrub(ex.Message)}";
            }

            var cut = call.Response.IsCut;
            if (failure is null && !cut)
            {
                transformer.OnEnd(output);
                if (!transformer.Completed)
                {
                    failure = "The upstream closed the stream before it was complete.";
                }
            }

            if (failure is not null)
            {
                transformer.OnError(failure, output);
                call.Fail(502, "upstream_stream_error", failure);
            }

            call.Response.Pump();
            call.Response.EndStream();
            await writer.FlushAsync(call.Aborted).ConfigureAwait(false);
            if (failure is not null || cut)
            {
                // The error event tells SDKs that read it (Python, JS, Anthropic) what happened, and they
                // hang up. Clients that ignore it (the .NET SDK) would take a clean end for a complete
                // answer; after a grace period the connection is closed without the final chunk, so
                // they see a broken stream. Aborting at once would reset the connection before the
                // first kind had read the error event.
                try
                {
                    await Task.Delay(s_streamErrorGrace, time, call.Aborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // The client hung up first, as SDKs that read the error event do.
                }

                call.Http.Abort();
            }

            record.Add(failure is null ? 200 : 502, failure, failure is null ? null : failureReason);
            AccountStream(call, transformer);
            return failure is null ? AttemptResult.Answered : AttemptResult.BrokenAfterStart(failureReason);
        }
        finally
        {
            buffer.Dispose();
            scratch.Dispose();
        }
    }

    /// <summary>Hands every complete event in <paramref name="buffer"/> to the transformer; true when it wrote output.</summary>
    private static bool Drain(CallContext call, Streaming.IStreamTransformer transformer, PooledBufferWriter buffer, PooledBufferWriter scratch, IBufferWriter<byte> output)
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
            call.Response.OnUpstreamEvent(sseEvent);
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

    /// <summary>Who answered and after how many tries; <paramref name="attempts"/> includes the answering one.</summary>
    public static void SetRouteHeaders(CallContext call, Deployment deployment, int attempts)
    {
        var headers = call.Http.Response.Headers;
        headers["x-switchyard-deployment"] = deployment.Name;
        headers["x-switchyard-attempts"] = attempts.ToString(CultureInfo.InvariantCulture);
        if (call.Group is { } requested && requested.Name != deployment.Group)
        {
            headers["x-switchyard-fallback"] = deployment.Group;
        }

        if (deployment.IsSimulated)
        {
            headers["x-switchyard-simulated"] = "true";
        }
    }

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

    private static string Seconds(TimeSpan? span) => (span ?? TimeSpan.Zero).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Adds the attempt to the call's trace, timed from its start.</summary>
    private readonly struct AttemptRecorder(CallContext call, Deployment deployment, long started, TimeSpan waited)
    {
        public long Started => started;

        public void Add(int status, string? error, FailureReason? reason) =>
            call.Attempts.Add(new Attempt(deployment.Name, status, Stopwatch.GetElapsedTime(started), error)
            {
                Group = deployment.Group,
                Reason = reason?.Label(),
                Start = Stopwatch.GetElapsedTime(call.StartTimestamp, started),
                Waited = waited,
            });
    }

    private sealed class ResponseTooLargeException : Exception;

    private static partial class Log
    {
        // Debug: under an outage this fires on every attempt; the breaker logs the outage once, and each
        // failed attempt is on its trace and in metrics.
        [LoggerMessage(1, LogLevel.Debug, "Upstream {Deployment} unreachable: {Reason}")]
        public static partial void UpstreamUnreachable(ILogger logger, string deployment, string reason);
    }
}
