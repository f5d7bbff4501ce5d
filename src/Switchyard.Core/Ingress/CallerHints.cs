using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Gateway;

namespace Switchyard.Ingress;

/// <summary>
/// Reads what the caller says about itself for tracing: <c>x-switchyard-user</c>, <c>-session</c>,
/// <c>-tags</c> and <c>-metadata</c>, plus the body's <c>user</c> and <c>metadata</c>.
/// </summary>
internal static class CallerHints
{
    private const int MaxTags = 32;
    private const int MaxTagLength = 128;
    private const int MaxHeaderLength = 256;

    /// <summary>Null when the hints are usable, else the problem for a 400.</summary>
    public static string? Apply(CallContext call)
    {
        var headers = call.Http.Request.Headers;
        call.User = Bounded(headers["x-switchyard-user"].ToString()) ?? call.Request.User ?? call.Caller.Owner?.Id;
        call.Session = Bounded(headers["x-switchyard-session"].ToString());

        var tags = headers["x-switchyard-tags"].ToString();
        if (tags.Length > 0)
        {
            var list = tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
            if (list.Length > MaxTags || list.Any(t => t.Length > MaxTagLength))
            {
                return $"x-switchyard-tags: at most {MaxTags} tags of at most {MaxTagLength} characters.";
            }

            call.Tags = list.Length == 0 ? null : list;
        }

        var header = headers["x-switchyard-metadata"].ToString();
        var body = call.Request.MetadataValue.Equals(default(Range)) ? ReadOnlySpan<byte>.Empty : call.Body.Span[call.Request.MetadataValue];
        if (header.Length == 0 && body.IsEmpty)
        {
            return null;
        }

        JsonObject merged;
        try
        {
            merged = body.IsEmpty ? [] : JsonNode.Parse(body) as JsonObject ?? [];
            if (header.Length > 0)
            {
                if (JsonNode.Parse(header) is not JsonObject fromHeader)
                {
                    return "x-switchyard-metadata: must be a JSON object.";
                }

                // The header wins over the body: it is what the operator's proxy or SDK wrapper adds.
                foreach (var (key, value) in fromHeader.ToArray())
                {
                    fromHeader.Remove(key);
                    merged[key] = value;
                }
            }
        }
        catch (JsonException ex)
        {
            return $"x-switchyard-metadata: not valid JSON ({ex.Message.Split(" Path:")[0]})";
        }

        call.MetadataJson = merged.Count == 0 ? null : merged.ToJsonString();
        return null;
    }

    private static string? Bounded(string value) =>
        value.Length == 0 ? null : value.Length > MaxHeaderLength ? value[..MaxHeaderLength] : value;
}
