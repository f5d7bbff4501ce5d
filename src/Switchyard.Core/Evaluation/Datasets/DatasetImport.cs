using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchyard.Evaluation.Datasets;

/// <summary>
/// Dataset items from JSONL (one object per line) or a JSON array. Each item gives <c>input</c> (an object
/// with <c>messages</c> or <c>variables</c>), or <c>messages</c> / <c>variables</c> at the top; optionally
/// <c>id</c>, <c>expected</c> (or <c>expected_output</c>, Langfuse's name), <c>context</c>, <c>metadata</c>,
/// <c>tags</c> and <c>source_trace_id</c>. Without an id, the item's id is a hash of its input, so importing
/// the same file twice names the same items. A problem names the line (or index) and the field.
/// </summary>
internal static class DatasetImport
{
    public const int MaxItems = 100_000;

    public static List<DatasetItem>? Read(ReadOnlySpan<byte> body, out string? problem)
    {
        problem = null;
        var items = new List<DatasetItem>();
        var text = Encoding.UTF8.GetString(body).TrimStart();
        if (text.StartsWith('['))
        {
            using var document = Parse(text, "the body", out problem);
            if (document is null)
            {
                return null;
            }

            var index = 0;
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (Item(element, $"items[{index++}]", out problem) is not { } item)
                {
                    return null;
                }

                items.Add(item);
            }
        }
        else
        {
            var number = 0;
            foreach (var line in text.Split('\n'))
            {
                number++;
                if (line.Trim().Length == 0)
                {
                    continue;
                }

                using var document = Parse(line, $"line {number}", out problem);
                if (document is null || Item(document.RootElement, $"line {number}", out problem) is not { } item)
                {
                    return null;
                }

                items.Add(item);
            }
        }

        if (items.Count is 0 or > MaxItems)
        {
            problem = $"A dataset version holds 1 to {MaxItems} items; the body has {items.Count}.";
            return null;
        }

        return items;
    }

    private static JsonDocument? Parse(string json, string where, out string? problem)
    {
        problem = null;
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            problem = $"{where}: not valid JSON ({ex.Message.Split(" LineNumber", 2)[0]}).";
            return null;
        }
    }

    private static DatasetItem? Item(JsonElement element, string where, out string? problem)
    {
        problem = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = $"{where}: an item is a JSON object.";
            return null;
        }

        string? input = null, id = null, expected = null, context = null, metadata = null, trace = null;
        var tags = new List<string>();
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "input" when value.ValueKind == JsonValueKind.Object && (value.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array || value.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Object):
                    input = value.GetRawText();
                    break;
                case "messages" when value.ValueKind == JsonValueKind.Array:
                    input = $$"""{"messages":{{value.GetRawText()}}}""";
                    break;
                case "variables" when value.ValueKind == JsonValueKind.Object:
                    input = $$"""{"variables":{{value.GetRawText()}}}""";
                    break;
                case "id" when value.ValueKind == JsonValueKind.String && value.GetString()!.Length is > 0 and <= 200:
                    id = value.GetString();
                    break;
                case "expected" or "expected_output":
                    expected = value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
                    break;
                case "context" when value.ValueKind == JsonValueKind.String:
                    context = JsonSerializer.Serialize(new[] { value.GetString()! }, DatasetJson.Default.StringArray);
                    break;
                case "context" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(d => d.ValueKind == JsonValueKind.String):
                    context = value.GetRawText();
                    break;
                case "metadata" when value.ValueKind is JsonValueKind.Object or JsonValueKind.Null:
                    metadata = value.ValueKind == JsonValueKind.Null ? null : value.GetRawText();
                    break;
                case "tags" when value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(t => t.ValueKind == JsonValueKind.String):
                    tags.AddRange(value.EnumerateArray().Select(t => t.GetString()!));
                    break;
                case "source_trace_id" when value.ValueKind == JsonValueKind.String:
                    trace = value.GetString();
                    break;
                case "input" or "messages" or "variables" or "id" or "context" or "metadata" or "tags" or "source_trace_id":
                    problem = $"{where}: '{property.Name}' has the wrong shape (input: {{messages: [...]}} or {{variables: {{...}}}}; id: a string of 1 to 200 characters; context: a string or strings; metadata: an object; tags: strings).";
                    return null;
                default:
                    problem = $"{where}: '{property.Name}' is not a field of a dataset item (input, messages, variables, id, expected, context, metadata, tags, source_trace_id).";
                    return null;
            }
        }

        if (input is null)
        {
            problem = $"{where}: 'input' is required: {{\"messages\": [...]}} or {{\"variables\": {{...}}}} (or 'messages' / 'variables' at the top).";
            return null;
        }

        return new DatasetItem
        {
            Id = id ?? "item_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)))[..16],
            InputJson = input,
            ExpectedJson = expected,
            ContextJson = context,
            MetadataJson = metadata,
            Tags = tags,
            SourceTraceId = trace,
        };
    }
}
