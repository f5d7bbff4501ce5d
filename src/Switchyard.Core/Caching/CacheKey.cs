using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Caching;

/// <summary>
/// The exact cache's key: SHA-256 of the cache format version, the namespace (whose answers may be
/// shared), the model group, the client API, and the request body in canonical form, so equivalent
/// JSON (other property order, other escapes, <c>1.0</c> for <c>1</c>) gives the same key and any change
/// to a parameter that affects the output gives another.
/// </summary>
/// <remarks>
/// Fields that change delivery but not content are left out: <c>stream</c>, <c>stream_options</c>, and the
/// caller's bookkeeping <c>user</c> and <c>metadata</c>. Everything else counts, including fields this
/// version does not know: an unknown parameter may change the answer.
/// </remarks>
internal readonly record struct CacheKey(UInt128 High, UInt128 Low)
{
    /// <summary>Bumped whenever the canonical form or the stored entry changes, so old entries stop matching.</summary>
    public const int FormatVersion = 1;

    private static readonly string[] s_deliveryOnly = ["stream", "stream_options", "user", "metadata"];

    private static readonly JsonWriterOptions s_canonical = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false, SkipValidation = true };

    /// <summary>Null when the body is not a JSON object (such requests never reach the cache).</summary>
    public static CacheKey? Compute(string space, string modelGroup, string api, ReadOnlySpan<byte> body)
    {
        using var document = Parse(body);
        return document is null ? null : Compute(space, modelGroup, api, document.RootElement);
    }

    /// <summary>The key of an already parsed body; null when it is not a JSON object.</summary>
    public static CacheKey? Compute(string space, string modelGroup, string api, JsonElement body) => Compute(space, modelGroup, api, body, withoutLastTurn: false);

    /// <summary>
    /// The semantic cache's scope: the key of everything in a chat request but the content of its last
    /// message, so two requests share a scope exactly when only their last user turn may differ. Kept
    /// apart from exact keys by its own API label.
    /// </summary>
    public static CacheKey? Scope(string space, string modelGroup, string api, JsonElement body) => Compute(space, modelGroup, "semantic:" + api, body, withoutLastTurn: true);

    private static CacheKey? Compute(string space, string modelGroup, string api, JsonElement body, bool withoutLastTurn)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        try
        {
            using var writer = new Utf8JsonWriter(buffer, s_canonical);
            writer.WriteStartArray();
            writer.WriteNumberValue(FormatVersion);
            writer.WriteStringValue(space);
            writer.WriteStringValue(modelGroup);
            writer.WriteStringValue(api);
            WriteCanonical(writer, body, topLevel: true, withoutLastTurn ? Hole.LastMessageContent : Hole.None);
            writer.WriteEndArray();
        }
        catch (InvalidOperationException)
        {
            // A string JSON accepts but .NET cannot decode (a lone surrogate escape, "\ud800"): no
            // canonical form, so no key; the request goes on uncached.
            return null;
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer.WrittenSpan, hash);
        return new CacheKey(
            new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash[8..])),
            new UInt128(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash[16..]), System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash[24..])));
    }

    /// <summary>The body as a document, or null when it is not JSON; the caller disposes it.</summary>
    public static JsonDocument? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 256 });
            return JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads the 64 hexadecimal digits <see cref="ToString"/> writes.</summary>
    public static bool TryParse(string? text, out CacheKey key)
    {
        key = default;
        if (text is not { Length: 64 } || !UInt128.TryParse(text.AsSpan(0, 32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)
            || !UInt128.TryParse(text.AsSpan(32), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low))
        {
            return false;
        }

        key = new CacheKey(high, low);
        return true;
    }

    public override string ToString() => High.ToString("x32", CultureInfo.InvariantCulture) + Low.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>What the canonical form leaves out besides the delivery-only fields.</summary>
    private enum Hole
    {
        None,

        /// <summary>At the top level: the <c>content</c> of the last element of <c>messages</c>.</summary>
        LastMessageContent,

        /// <summary>Inside <c>messages</c>: the last element's <c>content</c>.</summary>
        LastContent,

        /// <summary>The object itself: its <c>content</c>.</summary>
        Content,
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool topLevel, Hole hole = Hole.None)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    if ((!topLevel || Array.IndexOf(s_deliveryOnly, property.Name) < 0) && !(hole == Hole.Content && property.Name == "content"))
                    {
                        properties.Add(property);
                    }
                }

                properties.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
                writer.WriteStartObject();
                foreach (var property in properties)
                {
                    writer.WritePropertyName(property.Name);
                    var inner = hole == Hole.LastMessageContent && topLevel && property.Name == "messages" ? Hole.LastContent : Hole.None;
                    WriteCanonical(writer, property.Value, topLevel: false, inner);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var count = element.GetArrayLength();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, topLevel: false, hole == Hole.LastContent && ++index == count ? Hole.Content : Hole.None);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                // 1, 1.0 and 1e0 are one number to every provider.
                if (element.TryGetDouble(out var number) && double.IsFinite(number))
                {
                    writer.WriteRawValue(number.ToString("R", CultureInfo.InvariantCulture), skipInputValidation: true);
                }
                else
                {
                    writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                }

                break;
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
