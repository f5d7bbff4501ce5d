namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// A compressed body that inflates past the configured limit. Its own type (a corrupt gzip stream
/// raises <see cref="System.IO.InvalidDataException"/>) so a caller can answer 413 for this one and
/// 400 for the other.
/// </summary>
internal sealed class OtlpBodyTooLargeException(long limit)
    : Exception($"decompressed body exceeds the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}
