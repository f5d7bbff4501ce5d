using Switchyard.Recording;

namespace Switchyard.Telemetry.Out;

/// <summary>
/// The recording and span-ingestion queues as observable instruments: read only when metrics are
/// collected, so they cost nothing per call. Figures that only grow are counters (Prometheus
/// <c>_total</c>); the rest are gauges. Separate from <see cref="GatewayTelemetry"/> because the record
/// writer it observes itself reports cost through <see cref="GatewayTelemetry"/>.
/// </summary>
internal sealed class QueueGauges
{
    public QueueGauges(GatewayTelemetry telemetry, CallRecorder recorder, CallRecordWriter writer, SpanIngestQueue spans, Accounting.CallCost cost)
    {
        var meter = telemetry.Meter;
        meter.CreateObservableGauge("switchyard.recording.queue_depth", () => recorder.Depth, "{record}", "Call records waiting for the writer.");
        meter.CreateObservableCounter("switchyard.recording.dropped", () => recorder.Dropped, "{record}", "Call records dropped because the queue was full.");
        meter.CreateObservableCounter("switchyard.recording.written", () => writer.Written, "{record}", "Call records written to the store.");
        meter.CreateObservableCounter("switchyard.recording.write_failures", () => writer.Failed, "{record}", "Call records lost to store errors.");
        meter.CreateObservableGauge("switchyard.recording.write_lag", () => writer.LastWriteLagMicroseconds / 1e6, "s", "Time from the newest written call's end to its commit, for the last batch.");
        meter.CreateObservableCounter("switchyard.unpriced_calls", () => cost.Unpriced, "{call}", "Answered calls whose model has no price in the catalogue.");
        meter.CreateObservableGauge("switchyard.ingest.queue_depth", () => spans.Queued, "{span}", "Ingested OTLP spans waiting for the writer.");
        meter.CreateObservableCounter("switchyard.ingest.refused", () => spans.Refused, "{span}", "Ingested OTLP spans refused because the queue was full.");
    }
}
