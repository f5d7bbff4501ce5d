namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// A malformed OTLP body. Thrown only inside the readers to unwind nested message parsing;
/// <see cref="OtlpTraceDecoder.TryDecode"/> turns it into its error text and never lets it escape.
/// </summary>
internal sealed class OtlpFormatException(string message) : Exception(message);
