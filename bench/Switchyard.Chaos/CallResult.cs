namespace Switchyard.Chaos;

/// <summary>One call as the client saw it.</summary>
/// <param name="Outcome"><c>ok</c>, <c>http_NNN</c>, <c>stream_error_event</c>, <c>stream_incomplete</c>, <c>cancelled</c>, <c>timeout</c>, <c>error_*</c>...</param>
/// <param name="Status">HTTP status, 0 when none arrived.</param>
/// <param name="LatencyMs">From sending to the end of the body (streams: end of stream; cancelled: the cancel).</param>
/// <param name="Attempts">The <c>x-switchyard-attempts</c> header, null when absent.</param>
/// <param name="Deployment">The <c>x-switchyard-deployment</c> header, null when absent.</param>
/// <param name="Stopped">The run ended while the call was in flight; it is not counted.</param>
internal readonly record struct CallResult(string Outcome, int Status, double LatencyMs, string? Attempts, string? Deployment, bool Stopped = false)
{
    public bool Succeeded => Outcome == Ok;

    public const string Ok = "ok";

    public const string Cancelled = "cancelled";
}
