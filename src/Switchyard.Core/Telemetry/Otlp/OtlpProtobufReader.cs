namespace Switchyard.Telemetry.Otlp;

/// <summary>
/// Reads an <c>ExportTraceServiceRequest</c> (opentelemetry/proto/collector/trace/v1) in the
/// protobuf encoding. Field numbers below are those of the opentelemetry-proto .proto files;
/// unknown fields are skipped, as proto3 requires.
/// </summary>
internal static class OtlpProtobufReader
{
    private static readonly Dictionary<string, object?> s_noAttributes = new(StringComparer.Ordinal);

    public static List<OtlpSpan> Read(ReadOnlySpan<byte> body)
    {
        var spans = new List<OtlpSpan>();
        var reader = new ProtoReader(body, "ExportTraceServiceRequest");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            // ExportTraceServiceRequest.resource_spans = 1
            if (field == 1)
            {
                reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                ReadResourceSpans(reader.ReadLengthDelimited(), spans);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return spans;
    }

    private static void ReadResourceSpans(ReadOnlySpan<byte> data, List<OtlpSpan> output)
    {
        // The resource may follow the spans on the wire (field order is not guaranteed), so spans are
        // collected first and given the resource at the end.
        var first = output.Count;
        var resource = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(data, "ResourceSpans");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: // resource
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    ReadResource(reader.ReadLengthDelimited(), resource);
                    break;
                case 2: // scope_spans
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    ReadScopeSpans(reader.ReadLengthDelimited(), output);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        for (var i = first; i < output.Count; i++)
        {
            output[i].ResourceAttributes = resource;
        }
    }

    private static void ReadResource(ReadOnlySpan<byte> data, Dictionary<string, object?> attributes)
    {
        var reader = new ProtoReader(data, "Resource");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1) // attributes
            {
                reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                ReadKeyValue(reader.ReadLengthDelimited(), attributes, 0);
            }
            else
            {
                reader.Skip(wireType);
            }
        }
    }

    private static void ReadScopeSpans(ReadOnlySpan<byte> data, List<OtlpSpan> output)
    {
        var first = output.Count;
        string? scopeName = null;
        string? scopeVersion = null;
        var reader = new ProtoReader(data, "ScopeSpans");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: // scope
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    (scopeName, scopeVersion) = ReadScope(reader.ReadLengthDelimited());
                    break;
                case 2: // spans
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    var span = ReadSpan(reader.ReadLengthDelimited());
                    OtlpTraceDecoder.Validate(span);
                    output.Add(span);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        for (var i = first; i < output.Count; i++)
        {
            output[i].ScopeName = scopeName;
            output[i].ScopeVersion = scopeVersion;
        }
    }

    private static (string? Name, string? Version) ReadScope(ReadOnlySpan<byte> data)
    {
        string? name = null;
        string? version = null;
        var reader = new ProtoReader(data, "InstrumentationScope");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: // name
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    name = reader.ReadString();
                    break;
                case 2: // version
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    version = reader.ReadString();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return (NullIfEmpty(name), NullIfEmpty(version));
    }

    private static OtlpSpan ReadSpan(ReadOnlySpan<byte> data)
    {
        var span = new OtlpSpan();
        var reader = new ProtoReader(data, "Span");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: // trace_id
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.TraceId = reader.ReadLengthDelimited().ToArray();
                    break;
                case 2: // span_id
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.SpanId = reader.ReadLengthDelimited().ToArray();
                    break;
                case 3: // trace_state
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.TraceState = NullIfEmpty(reader.ReadString());
                    break;
                case 4: // parent_span_id
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.ParentSpanId = reader.ReadLengthDelimited().ToArray();
                    break;
                case 5: // name
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.Name = reader.ReadString();
                    break;
                case 6: // kind (enum, varint)
                    reader.Expect(field, wireType, ProtoReader.Varint);
                    span.Kind = (int)reader.ReadVarint();
                    break;
                case 7: // start_time_unix_nano (fixed64)
                    reader.Expect(field, wireType, ProtoReader.Fixed64);
                    span.StartUnixNano = reader.ReadFixed64();
                    break;
                case 8: // end_time_unix_nano (fixed64)
                    reader.Expect(field, wireType, ProtoReader.Fixed64);
                    span.EndUnixNano = reader.ReadFixed64();
                    break;
                case 9: // attributes
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    ReadKeyValue(reader.ReadLengthDelimited(), span.Attributes, 0);
                    break;
                case 11: // events
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.Events.Add(ReadEvent(reader.ReadLengthDelimited()));
                    break;
                case 13: // links
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.Links.Add(ReadLink(reader.ReadLengthDelimited()));
                    break;
                case 15: // status
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    ReadStatus(reader.ReadLengthDelimited(), span);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return span;
    }

    private static IngestedSpanEvent ReadEvent(ReadOnlySpan<byte> data)
    {
        ulong time = 0;
        var name = "";
        // Allocated on first use: an empty event is two bytes on the wire and should cost little more.
        Dictionary<string, object?>? attributes = null;
        var reader = new ProtoReader(data, "Span.Event");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: // time_unix_nano (fixed64)
                    reader.Expect(field, wireType, ProtoReader.Fixed64);
                    time = reader.ReadFixed64();
                    break;
                case 2: // name
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    name = reader.ReadString();
                    break;
                case 3: // attributes
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes ??= new(StringComparer.Ordinal), 0);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new IngestedSpanEvent(name, OtlpTime.ToSigned(time, "event time_unix_nano"), attributes ?? s_noAttributes);
    }

    private static IngestedSpanLink ReadLink(ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<byte> traceId = default;
        ReadOnlySpan<byte> spanId = default;
        string? traceState = null;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(data, "Span.Link");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1: // trace_id
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    traceId = reader.ReadLengthDelimited();
                    break;
                case 2: // span_id
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    spanId = reader.ReadLengthDelimited();
                    break;
                case 3: // trace_state
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    traceState = NullIfEmpty(reader.ReadString());
                    break;
                case 4: // attributes
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    ReadKeyValue(reader.ReadLengthDelimited(), attributes, 0);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return new IngestedSpanLink(Convert.ToHexStringLower(traceId), Convert.ToHexStringLower(spanId), traceState, attributes);
    }

    private static void ReadStatus(ReadOnlySpan<byte> data, OtlpSpan span)
    {
        var reader = new ProtoReader(data, "Status");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 2: // message
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    span.StatusMessage = NullIfEmpty(reader.ReadString());
                    break;
                case 3: // code (enum, varint)
                    reader.Expect(field, wireType, ProtoReader.Varint);
                    span.StatusCode = (int)reader.ReadVarint();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }
    }

    /// <summary>Reads one common.proto <c>KeyValue</c> (key=1, value=2) into <paramref name="target"/>.</summary>
    private static void ReadKeyValue(ReadOnlySpan<byte> data, Dictionary<string, object?> target, int depth)
    {
        var key = "";
        object? value = null;
        var reader = new ProtoReader(data, "KeyValue");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    key = reader.ReadString();
                    break;
                case 2:
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    value = ReadAnyValue(reader.ReadLengthDelimited(), depth);
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        OtlpAttributes.Add(target, key, value);
    }

    /// <summary>
    /// Reads a common.proto <c>AnyValue</c> oneof: string_value=1, bool_value=2, int_value=3,
    /// double_value=4 (fixed64), array_value=5, kvlist_value=6, bytes_value=7. A kvlist comes back
    /// as a flattened dictionary, an array as <c>object?[]</c>, an empty AnyValue as null.
    /// </summary>
    private static object? ReadAnyValue(ReadOnlySpan<byte> data, int depth)
    {
        if (depth >= OtlpAttributes.MaxNesting)
        {
            throw new OtlpFormatException($"attribute values nest deeper than {OtlpAttributes.MaxNesting} levels");
        }

        object? value = null;
        var reader = new ProtoReader(data, "AnyValue");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            switch (field)
            {
                case 1:
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    value = reader.ReadString();
                    break;
                case 2:
                    reader.Expect(field, wireType, ProtoReader.Varint);
                    value = reader.ReadVarint() != 0;
                    break;
                case 3:
                    // int64 is a plain (not zigzag) varint: negatives are ten bytes of two's complement.
                    reader.Expect(field, wireType, ProtoReader.Varint);
                    value = unchecked((long)reader.ReadVarint());
                    break;
                case 4:
                    reader.Expect(field, wireType, ProtoReader.Fixed64);
                    value = BitConverter.UInt64BitsToDouble(reader.ReadFixed64());
                    break;
                case 5:
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    value = ReadArray(reader.ReadLengthDelimited(), depth + 1);
                    break;
                case 6:
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    value = ReadKeyValueList(reader.ReadLengthDelimited(), depth + 1);
                    break;
                case 7:
                    reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                    value = reader.ReadLengthDelimited().ToArray();
                    break;
                default:
                    reader.Skip(wireType);
                    break;
            }
        }

        return value;
    }

    /// <summary>common.proto <c>ArrayValue</c>: values=1.</summary>
    private static object?[] ReadArray(ReadOnlySpan<byte> data, int depth)
    {
        var items = new List<object?>();
        var reader = new ProtoReader(data, "ArrayValue");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1)
            {
                reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                items.Add(ReadAnyValue(reader.ReadLengthDelimited(), depth));
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return [.. items];
    }

    /// <summary>common.proto <c>KeyValueList</c>: values=1.</summary>
    private static Dictionary<string, object?> ReadKeyValueList(ReadOnlySpan<byte> data, int depth)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        var reader = new ProtoReader(data, "KeyValueList");
        while (!reader.End)
        {
            var (field, wireType) = reader.ReadTag();
            if (field == 1)
            {
                reader.Expect(field, wireType, ProtoReader.LengthDelimited);
                ReadKeyValue(reader.ReadLengthDelimited(), map, depth);
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return map;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
