namespace Switchyard.Telemetry.Otlp;

/// <summary>The two OTLP/HTTP body encodings: <c>application/x-protobuf</c> and <c>application/json</c>.</summary>
internal enum OtlpEncoding
{
    Protobuf,
    Json,
}
