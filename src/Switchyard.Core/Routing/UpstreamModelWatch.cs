using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Switchyard.Gateway;

namespace Switchyard.Routing;

/// <summary>
/// Notices when a provider changes what answers behind the same name: per deployment and requested
/// model (a pinned snapshot or the deployment's own), the <c>model</c> and <c>system_fingerprint</c>
/// the upstream returned are compared with the last ones seen. A change is written on the call
/// (<c>model_change</c> on its trace) and counted in <c>switchyard.upstream.model_changes</c>. What was
/// last seen is kept in memory, so the first call after a start compares with nothing.
/// </summary>
internal sealed class UpstreamModelWatch
{
    private readonly ConcurrentDictionary<(string Deployment, string Requested), Seen> _last = new();
    private readonly Counter<long> _changes;

    public UpstreamModelWatch(Telemetry.Out.GatewayTelemetry telemetry)
    {
        _changes = telemetry.Meter.CreateCounter<long>("switchyard.upstream.model_changes", "{change}", "Changes of the model or system_fingerprint an upstream returned for the same deployment and requested model.");
    }

    public void Observe(CallContext call)
    {
        if (call.Deployment is not { } deployment || call.Status != 200 || call.Cache?.Outcome == "hit" || (call.UpstreamModel is null && call.SystemFingerprint is null))
        {
            return;
        }

        var requested = call.ModelFor(deployment);
        var now = new Seen(call.UpstreamModel, call.SystemFingerprint);
        var before = _last.GetOrAdd((deployment.Name, requested), now);
        if (ReferenceEquals(before, now) || before == now)
        {
            return;
        }

        _last[(deployment.Name, requested)] = now;
        string kind;
        if (!string.Equals(before.Model, now.Model, StringComparison.Ordinal) && now.Model is not null && before.Model is not null)
        {
            kind = "model";
            call.ModelChange = $"model {before.Model} -> {now.Model}";
        }
        else if (!string.Equals(before.Fingerprint, now.Fingerprint, StringComparison.Ordinal) && now.Fingerprint is not null && before.Fingerprint is not null)
        {
            kind = "system_fingerprint";
            call.ModelChange = $"system_fingerprint {before.Fingerprint} -> {now.Fingerprint}";
        }
        else
        {
            return; // one side did not report the field: nothing to compare
        }

        if (_changes.Enabled)
        {
            _changes.Add(1, new("deployment", deployment.Name), new("requested_model", requested), new KeyValuePair<string, object?>("kind", kind));
        }
    }

    private sealed record Seen(string? Model, string? Fingerprint);
}
