namespace Switchyard.Configuration;

/// <summary>The endpoints public by default that <c>auth.require_key_for</c> can close.</summary>
[Flags]
internal enum ProtectedEndpoints
{
    None = 0,

    /// <summary><c>GET /metrics</c> (Prometheus): then a key with the <c>read</c> scope.</summary>
    Metrics = 1,

    /// <summary><c>GET /v1/models</c> (and <c>/models</c>, <c>/v1/models/{id}</c>): then a key with the <c>inference</c> scope, even while <c>/v1</c> is open on loopback.</summary>
    Models = 2,

    /// <summary><c>GET /health/ready</c> (deployment names and states): then a key with the <c>read</c> scope. <c>/health/live</c> stays open.</summary>
    Ready = 4,
}
