using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Cli.Commands;

/// <summary>
/// Prompt files as kept in git, read into the body of <c>POST /api/prompts</c>: <c>*.yaml</c>/<c>*.yml</c>
/// hold the body's fields; <c>*.md</c> holds them in YAML front matter with the template as the body
/// (<c>## role</c> headings split a chat prompt into messages). Only the shape is checked here; the
/// gateway checks the rest and its message is what the user sees.
/// </summary>
internal static partial class PromptFiles
{
    private const int MaxDepth = 64;
    private const int MaxNodes = 100_000;

    /// <summary>The fields a file may hold: the API body's, plus <c>messages</c> for a chat prompt's <c>prompt</c>.</summary>
    private static readonly string[] s_fields = ["name", "type", "prompt", "messages", "variables", "model", "pinned_model", "parameters", "tools", "response_format", "message", "labels"];

    private static readonly string[] s_roles = ["system", "developer", "user", "assistant"];

    // Strict: a file in another encoding would otherwise be pushed with U+FFFD where its accents were.
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The prompt files under <paramref name="directory"/> (subdirectories too), in ordinal order of their relative paths.</summary>
    public static IReadOnlyList<string> Find(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(IsPromptFile)
            .Where(path => !Path.GetRelativePath(directory, path).Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .OrderBy(path => Path.GetRelativePath(directory, path), StringComparer.Ordinal)];

    public static bool IsPromptFile(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" or ".md";

    /// <summary>The request body a file stands for, or why it cannot be pushed.</summary>
    public static PromptFileResult Read(string path, byte[] bytes)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            return PromptFileResult.Fail($"not UTF-8 text (invalid byte at offset {ex.Index}); save it as UTF-8");
        }

        // Line endings follow the checkout (git autocrlf), not the prompt: CRLF would make a new version on Windows.
        text = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal);
        var fallbackName = Path.GetFileNameWithoutExtension(path);
        try
        {
            return Path.GetExtension(path).Equals(".md", StringComparison.OrdinalIgnoreCase)
                ? Markdown(text, fallbackName)
                : Yaml(text, fallbackName);
        }
        catch (YamlException ex)
        {
            return PromptFileResult.Fail($"invalid YAML at line {ex.Start.Line}, column {ex.Start.Column}: {Innermost(ex).Message}");
        }
    }

    private static PromptFileResult Yaml(string text, string fallbackName)
    {
        if (Fields(text) is not { } fields)
        {
            return PromptFileResult.Fail("empty: a prompt file holds at least the prompt");
        }

        if (Check(fields) is { } problem)
        {
            return PromptFileResult.Fail(problem);
        }

        if (fields["messages"] is { } messages)
        {
            if (fields.ContainsKey("prompt"))
            {
                return PromptFileResult.Fail("both prompt and messages: give one of them");
            }

            fields.Remove("messages");
            fields["prompt"] = messages;
            fields["type"] ??= "chat";
        }

        if (!fields.ContainsKey("prompt"))
        {
            return PromptFileResult.Fail("prompt: required (a string, or a list of chat messages as prompt or messages)");
        }

        fields["name"] ??= fallbackName;
        return PromptFileResult.Ok(fields);
    }

    private static PromptFileResult Markdown(string text, string fallbackName)
    {
        // Front matter: the first line is ---, and it ends at the next line that is --- (or ...).
        JsonObject fields = [];
        var body = text;
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            var end = FrontMatterEnd().Match(text, 3);
            if (!end.Success)
            {
                return PromptFileResult.Fail("front matter: no closing --- line");
            }

            fields = Fields(text[4..end.Index]) ?? [];
            body = text[(end.Index + end.Length)..];
        }

        if (Check(fields) is { } problem)
        {
            return PromptFileResult.Fail(problem);
        }

        if (fields.ContainsKey("prompt") || fields.ContainsKey("messages"))
        {
            return PromptFileResult.Fail("front matter: prompt and messages come from the body of a Markdown file, not the front matter");
        }

        var type = fields["type"] is JsonValue value && value.TryGetValue<string>(out var given) ? given : null;
        if (type == "chat")
        {
            if (Messages(body, out var error) is not { } messages)
            {
                return PromptFileResult.Fail(error!);
            }

            fields["prompt"] = messages;
        }
        else
        {
            var template = Trimmed(body);
            if (template.Length == 0)
            {
                return PromptFileResult.Fail("the body is empty: after the front matter comes the template");
            }

            fields["prompt"] = template;
        }

        fields["name"] ??= fallbackName;
        return PromptFileResult.Ok(fields);
    }

    /// <summary>A chat body as messages: each <c>## role</c> heading starts one, its content the text up to the next.</summary>
    private static JsonArray? Messages(string body, out string? error)
    {
        error = null;
        var headings = RoleHeading().Matches(body);
        if (headings.Count == 0)
        {
            error = "type: chat needs '## system', '## user' or '## assistant' headings in the body, one per message";
            return null;
        }

        if (Trimmed(body[..headings[0].Index]).Length > 0)
        {
            error = $"text before the first '## {headings[0].Groups[1].Value}' heading belongs to no message";
            return null;
        }

        var messages = new JsonArray();
        for (var i = 0; i < headings.Count; i++)
        {
            var heading = headings[i];
            var role = heading.Groups[1].Value.Trim().ToLowerInvariant();
            if (!s_roles.Contains(role))
            {
                error = $"'## {heading.Groups[1].Value.Trim()}' is not a role: use {string.Join(", ", s_roles)}";
                return null;
            }

            var start = heading.Index + heading.Length;
            var end = i + 1 < headings.Count ? headings[i + 1].Index : body.Length;
            messages.Add(new JsonObject { ["role"] = role, ["content"] = Trimmed(body[start..end]) });
        }

        return messages;
    }

    // Blank lines around a template are layout in the file, not part of the prompt; inner ones and indentation stay.
    private static string Trimmed(string text) => text.TrimEnd().TrimStart('\n');

    private static string? Check(JsonObject fields)
    {
        if (fields.Select(f => f.Key).FirstOrDefault(key => !s_fields.Contains(key)) is { } unknown)
        {
            return $"unknown field '{unknown}' (known: {string.Join(", ", s_fields)})";
        }

        if (fields.TryGetPropertyValue("name", out var name) && (name is not JsonValue nameValue || !nameValue.TryGetValue<string>(out _)))
        {
            return "name: must be a string";
        }

        if (fields["labels"] is { } labels && (labels is not JsonArray list || list.Any(l => l is not JsonValue v || !v.TryGetValue<string>(out _))))
        {
            return "labels: must be a list of strings";
        }

        return null;
    }

    /// <summary>A YAML document's top-level mapping as JSON; null for an empty document.</summary>
    private static JsonObject? Fields(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            throw new YamlException(stream.Documents[1].RootNode.Start, stream.Documents[1].RootNode.End, "one prompt per file: a second YAML document was found");
        }

        var root = stream.Documents[0].RootNode;
        var budget = MaxNodes;
        return Json(root, 0, ref budget) as JsonObject
            ?? throw new YamlException(root.Start, root.End, "the file must be a mapping of fields (name: ..., prompt: ...)");
    }

    /// <summary>
    /// The node as JSON. <paramref name="budget"/> counts the nodes written: aliases are copied out, and a few
    /// lines of nested aliases (a "billion laughs" file) would otherwise expand past any memory.
    /// </summary>
    private static JsonNode? Json(YamlNode node, int depth, ref int budget)
    {
        if (depth > MaxDepth)
        {
            throw new YamlException(node.Start, node.End, $"nested more than {MaxDepth} levels deep");
        }

        if (--budget < 0)
        {
            throw new YamlException(node.Start, node.End, $"more than {MaxNodes} values (are aliases repeating a large part?)");
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var result = new JsonObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new YamlException(key.Start, key.End, "keys must be plain strings");
                    }

                    result[name] = Json(value, depth + 1, ref budget);
                }

                return result;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                foreach (var item in sequence.Children)
                {
                    array.Add(Json(item, depth + 1, ref budget));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new YamlException(node.Start, node.End, "unsupported YAML node");
        }
    }

    /// <summary>YAML 1.2 core schema for plain scalars (null, booleans, numbers); quoted and block scalars are strings.</summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style != YamlDotNet.Core.ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(value[0] is 't' or 'T');
        }

        if (YamlInteger().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (YamlFloat().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(value);
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is { } inner ? Innermost(inner) : ex;

    [GeneratedRegex(@"^(?:---|\.\.\.)[ \t]*(?:\n|$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex FrontMatterEnd();

    [GeneratedRegex(@"^##[ \t]+([^\n]*?)[ \t]*(?:\n|$)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RoleHeading();

    [GeneratedRegex(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlInteger();

    [GeneratedRegex(@"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlFloat();
}
