using System.IO.Compression;

namespace Switchyard.Tests.Telemetry.Otlp;

internal static class OtlpTestPayloads
{
    public const string TraceId = "5b8efff798038103d269b633813fc60c";
    public const string SpanId = "eee19b7ec3c1b174";
    public const string ParentId = "eee19b7ec3c1b173";

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>An OTLP/JSON request with one span carrying <paramref name="attributesJson"/> (a JSON array of KeyValue) and <paramref name="eventsJson"/>.</summary>
    public static byte[] JsonRequest(string attributesJson, string eventsJson = "[]", string name = "span") =>
        System.Text.Encoding.UTF8.GetBytes($$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"svc"}}]},
              "scopeSpans":[{"scope":{"name":"scope","version":"1"},"spans":[{
                "traceId":"{{{TraceId}}}","spanId":"{{{SpanId}}}","parentSpanId":"{{{ParentId}}}","name":"{{{name}}}","kind":3,
                "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":1700000001000000000,
                "attributes":{{{attributesJson}}},"events":{{{eventsJson}}},"status":{"code":2,"message":"boom"}}]}]}]}
            """);
}
