using Microsoft.Extensions.Configuration;
using Switchyard.Configuration;

namespace Switchyard.Telemetry.Out;

/// <summary>Where the gateway's own spans and metrics go besides <c>/metrics</c>.</summary>
internal sealed class TelemetryOptions
{
    /// <summary>Base URL of an OTLP collector; null exports nothing (and creates no spans).</summary>
    [ConfigurationKeyName("otlp_endpoint")]
    public Uri? OtlpEndpoint { get; set; }

    [ConfigurationKeyName("otlp_protocol"), ConfigValue(Invalid = "'{0}' is not one of grpc, http/protobuf.")]
    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.Grpc;

    /// <summary>Headers sent with every export (for example a collector's API key), references already resolved.</summary>
    [ConfigurationKeyName("otlp_headers"), ConfigValue(Secret = true)]
    public Dictionary<string, string> OtlpHeaders { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The <c>service.name</c> resource attribute of exported spans and metrics.</summary>
    [ConfigurationKeyName("service_name")]
    public string ServiceName { get; set; } = "switchyard";

    /// <summary>How often metrics are pushed to the collector.</summary>
    [ConfigurationKeyName("metrics_interval")]
    public TimeSpan ExportMetricsInterval { get; set; } = TimeSpan.FromSeconds(60);
}
