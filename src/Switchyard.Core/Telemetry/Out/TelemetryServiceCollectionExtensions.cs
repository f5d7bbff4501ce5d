using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Switchyard.Telemetry.Out;

/// <summary>Registers the gateway's OpenTelemetry signals: metrics always (for <c>/metrics</c>), OTLP export when configured.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddGatewayTelemetry(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddSingleton<GatewayTelemetry>();
        services.AddSingleton<QueueGauges>();

        // The gauges read the recording queues, so they are created when the provider is built.
        services.ConfigureOpenTelemetryMeterProvider((sp, _) => sp.GetRequiredService<QueueGauges>());
        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(options.ServiceName, serviceVersion: typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString()));
        otel.WithMetrics(metrics =>
        {
            metrics.AddMeter(GatewayTelemetry.Name);
            // The runtime's own meter (GC heap, working set, threads, thread pool): what a soak test watches.
            metrics.AddMeter("System.Runtime");
            metrics.AddPrometheusExporter();
            if (options.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, options, endpoint, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)Math.Clamp(options.ExportMetricsInterval.TotalMilliseconds, 1, int.MaxValue);
                });
            }
        });

        // Without an exporter nothing listens to the gateway's ActivitySource, so no span is created
        // and the call ids stay the ones the gateway minted.
        if (options.OtlpEndpoint is { } traceEndpoint)
        {
            otel.WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .AddOtlpExporter(exporter => Configure(exporter, options, traceEndpoint, "v1/traces")));
        }

        return services;
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions options, Uri endpoint, string signalPath)
    {
        exporter.Protocol = options.OtlpProtocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;

        // The configured endpoint is a base URL, as OTEL_EXPORTER_OTLP_ENDPOINT is; the SDK appends the
        // signal path only to that variable, never to an endpoint set in code, so it is appended here.
        exporter.Endpoint = options.OtlpProtocol == OtlpProtocol.HttpProtobuf
            ? new Uri(endpoint.ToString().TrimEnd('/') + "/" + signalPath)
            : endpoint;
        if (options.OtlpHeaders.Count > 0)
        {
            exporter.Headers = string.Join(",", options.OtlpHeaders.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Key}={h.Value}")));
        }
    }
}
