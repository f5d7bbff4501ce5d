namespace Switchyard.Telemetry.Out;

/// <summary>How traces and metrics are sent to an OTLP collector.</summary>
internal enum OtlpProtocol
{
    /// <summary>OTLP/gRPC, usually port 4317.</summary>
    Grpc,

    /// <summary>OTLP/HTTP with protobuf bodies, usually port 4318; <c>/v1/traces</c> and <c>/v1/metrics</c> are appended to the endpoint.</summary>
    HttpProtobuf,
}
