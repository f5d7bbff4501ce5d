using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Ingress;

/// <summary>
/// <c>"context": "..."</c> or <c>"context": ["...", ...]</c> in a chat request: documents the answer should be
/// grounded in, for the groundedness guards. Providers do not know the field (OpenAI refuses unknown ones),
/// so it is read and taken out of the body before anything else sees it.
/// </summary>
internal static class ContextExtension
{
    public const int MaxDocuments = 64;

    /// <summary>The documents and the body without them; an error message in the API's words when the field has the wrong shape.</summary>
    public static string? Extract(ReadOnlySpan<byte> body, out List<string> documents, out byte[] stripped)
    {
        documents = [];
        stripped = [];
        var root = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 256 })!.AsObject();
        var value = root["context"];
        switch (value)
        {
            case null:
                break;
            case JsonValue single when single.GetValueKind() == JsonValueKind.String:
                documents.Add(single.GetValue<string>());
                break;
            case JsonArray array when array.Count <= MaxDocuments && array.All(d => d is JsonValue v && v.GetValueKind() == JsonValueKind.String):
                documents.AddRange(array.Select(d => d!.GetValue<string>()));
                break;
            default:
                return $"'context' must be a string or an array of at most {MaxDocuments} strings (documents the answer should be grounded in).";
        }

        root.Remove("context");
        using var buffer = new MemoryStream(body.Length);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            root.WriteTo(writer);
        }

        stripped = buffer.ToArray();
        return null;
    }
}
