using Switchyard.Configuration;
using Switchyard.Telemetry.Out;
using Xunit;

namespace Switchyard.Tests.Telemetry.Out;

public sealed class TelemetryConfigTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("switchyard-telemetry-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_TelemetrySection_BindsEveryKey()
    {
        var path = Write("""
            telemetry:
              otlp_endpoint: http://collector:4318
              otlp_protocol: http/protobuf
              otlp_headers:
                x-api-key: env:COLLECTOR_KEY
                x-team: platform
              service_name: gateway-eu
              metrics_interval: 15s
            """);

        var options = new ConfigLoader(name => name == "COLLECTOR_KEY" ? "secret-key" : null).Load(path, []);

        var t = options.Telemetry;
        Assert.Equal(new Uri("http://collector:4318"), t.OtlpEndpoint);
        Assert.Equal(OtlpProtocol.HttpProtobuf, t.OtlpProtocol);
        Assert.Equal("secret-key", t.OtlpHeaders["x-api-key"]);
        Assert.Equal("platform", t.OtlpHeaders["x-team"]);
        Assert.Equal("gateway-eu", t.ServiceName);
        Assert.Equal(TimeSpan.FromSeconds(15), t.ExportMetricsInterval);
    }

    [Fact]
    public void Load_NoTelemetrySection_ExportsNothing()
    {
        var options = new ConfigLoader(_ => null).Load(Write("server:\n  urls: http://127.0.0.1:4000\n"), []);

        Assert.Null(options.Telemetry.OtlpEndpoint);
        Assert.Equal(OtlpProtocol.Grpc, options.Telemetry.OtlpProtocol);
        Assert.Equal("switchyard", options.Telemetry.ServiceName);
    }

    [Fact]
    public void Load_BadTelemetryKeys_AreErrors_AndNoSecret()
    {
        var path = Write("""
            telemetry:
              otlp_endpoint: collector:4317
              otlp_protocol: http/json
              otlp_headers:
                x-api-key: env:MISSING_KEY
                bad,name: v
              metrics_interval: soon
              colour: red
            """);

        var ex = Assert.Throws<ConfigurationException>(() => new ConfigLoader(_ => null).Load(path, []));

        Assert.Contains(ex.Errors, e => e.StartsWith("telemetry.otlp_endpoint:", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("telemetry.otlp_protocol: 'http/json' is not one of grpc, http/protobuf", StringComparison.Ordinal));
        Assert.Contains("telemetry.otlp_headers.x-api-key: refers to the environment variable MISSING_KEY, which is not set.", ex.Errors);
        Assert.Contains(ex.Errors, e => e.StartsWith("telemetry.otlp_headers.bad,name:", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("telemetry.metrics_interval: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.StartsWith("telemetry.colour: unknown key", StringComparison.Ordinal));
    }

    private string Write(string yaml)
    {
        var path = Path.Combine(_dir, "switchyard.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
