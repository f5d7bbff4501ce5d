using System.Globalization;
using System.Text.Json;

namespace Switchyard.Caching;

/// <summary>Whether a request's answer may be cached at all, by the operator's rules.</summary>
internal static class Cacheability
{
    /// <summary>
    /// Null when cacheable; else why not. Never cached: <c>n</c> above 1 (several answers are asked for),
    /// a temperature above <paramref name="maxTemperature"/> when one is set (absent counts as 1, the
    /// providers' default), and requests offering a tool on <paramref name="sideEffectTools"/>.
    /// </summary>
    public static string? Refusal(ReadOnlySpan<byte> body, double? maxTemperature, IReadOnlyCollection<string> sideEffectTools)
    {
        using var document = CacheKey.Parse(body);
        return document is null ? "not valid JSON" : Refusal(document.RootElement, maxTemperature, sideEffectTools);
    }

    public static string? Refusal(JsonElement root, double? maxTemperature, IReadOnlyCollection<string> sideEffectTools)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "not a JSON object";
        }

        if (root.TryGetProperty("n", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetDouble(out var count) && count > 1)
        {
            return "n > 1";
        }

        if (maxTemperature is { } max)
        {
            var temperature = root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number && t.TryGetDouble(out var value) ? value : 1.0;
            if (temperature > max)
            {
                return string.Create(CultureInfo.InvariantCulture, $"temperature {temperature} > {max}");
            }
        }

        if (sideEffectTools.Count > 0 && root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array)
        {
            foreach (var tool in tools.EnumerateArray())
            {
                if (ToolName(tool) is { } name && sideEffectTools.Contains(name))
                {
                    return $"offers the side-effect tool '{name}'";
                }
            }
        }

        return null;
    }

    /// <summary>OpenAI <c>{"type":"function","function":{"name":...}}</c> or Anthropic <c>{"name":...}</c>.</summary>
    private static string? ToolName(JsonElement tool)
    {
        if (tool.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (tool.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var fn) && fn.ValueKind == JsonValueKind.String)
        {
            return fn.GetString();
        }

        return tool.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
    }
}
