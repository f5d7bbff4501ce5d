using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Switchyard.Accounting;
using Switchyard.Configuration;
using Switchyard.Recording;
using Switchyard.Telemetry.Out;

namespace Switchyard.Gateway;

/// <summary>
/// The fixed head and tail around the stages: creates the call's context and trace ids, runs the
/// pipeline, then settles usage and cost, adds them to the spend ledger and hands the record to the recorder.
/// </summary>
internal sealed partial class GatewayHandler(GatewayPipeline pipeline, CallCost cost, Spend.SpendLedger spend, CallRecorder recorder, Guardrails.GuardrailCatalog guardrails, Routing.UpstreamModelWatch models, GatewayTelemetry telemetry, SwitchyardOptions options, TimeProvider time, ILogger<GatewayHandler> logger)
{
    /// <summary>The longest a call's record waits for a guard's work after the answer.</summary>
    private static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(5);

    private readonly bool _recording = options.Recording.Enabled;
    private readonly int _maxContent = options.Tracing.MaxContentBytes;

    public async Task HandleAsync(HttpContext http, ClientApi api)
    {
        var trace = TraceHeadersMiddleware.For(http, time);
        var activity = telemetry.StartCall(ref trace);
        if (activity is not null)
        {
            TraceHeadersMiddleware.Assign(http, trace);
        }

        var call = new CallContext(http, api, Stopwatch.GetTimestamp(), time.GetUtcNow(), trace);
        try
        {
            await pipeline.Invoke(call).ConfigureAwait(false);

            // A chunked (streamed) response ends when its last chunk is written, which Kestrel does
            // when this method returns: end it now, so the client is not kept waiting for the
            // bookkeeping below (cost, spend, the record, metrics).
            if (call.Request.Stream && http.Response.HasStarted && !http.RequestAborted.IsCancellationRequested)
            {
                await CompleteQuietlyAsync(http.Response).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            call.Fail(499, "client_closed", "The client closed the connection.");
        }
        catch (Exception ex)
        {
            Log.Unhandled(logger, ex);
            await GatewayErrors.WriteAsync(call, 500, "server_error", $"Internal error (trace {trace.TraceIdHex}).").ConfigureAwait(false);
        }
        finally
        {
            call.EndTimestamp = Stopwatch.GetTimestamp();
            if (call.Status == 0)
            {
                call.Status = http.Response.StatusCode;
            }

            cost.Finish(call);
            spend.Add(call);
            models.Observe(call);
            if (call.Guardrails?.Pending is { } pending)
            {
                // A guard finishing after the answer (a flag-only classifier waiting for the embedding)
                // completes its verdict first; the client is not held for it.
                var record = _recording ? Recording.CallRecord.From(call, _maxContent) : null;
                _ = RecordWhenSettledAsync(record, call.Guardrails, pending);
            }
            else
            {
                if (call.Guardrails is { } report)
                {
                    guardrails.Count(report);
                }

                if (_recording)
                {
                    await recorder.RecordAsync(Recording.CallRecord.From(call, _maxContent)).ConfigureAwait(false);
                }
            }

            telemetry.EndCall(call, activity);
            call.Body.Dispose();
            call.Response.Dispose();
        }
    }

    private async Task RecordWhenSettledAsync(Recording.CallRecord? record, Guardrails.GuardrailReport report, Task pending)
    {
        try
        {
            await pending.WaitAsync(SettleLimit, time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Recorded as it stands: the verdict says its classifier part did not finish.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Unhandled(logger, ex);
        }

        guardrails.Count(report);
        if (record is not null)
        {
            await recorder.RecordAsync(record).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the response; a client that left meanwhile is not an error of this call.</summary>
    private static async Task CompleteQuietlyAsync(HttpResponse response)
    {
        try
        {
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Unhandled error on the request path")]
        public static partial void Unhandled(ILogger logger, Exception exception);
    }
}
