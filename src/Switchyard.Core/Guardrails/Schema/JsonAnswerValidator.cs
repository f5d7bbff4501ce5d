using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Json.Schema;

namespace Switchyard.Guardrails.Schema;

/// <summary>
/// Checks a model's answer against what the request asked for: the content against <c>response_format</c>
/// (<c>json_object</c> or <c>json_schema</c>), and tool calls against the request's <c>tools</c>.
/// Thread-safe; one instance is meant to be shared, since it caches compiled schemas.
/// </summary>
internal sealed class JsonAnswerValidator
{
    /// <summary>Answers and arguments longer than this (UTF-16 chars, 1 MiB) are reported, not parsed.</summary>
    public const int MaxAnswerChars = 1 << 20;

    /// <summary>Schemas nested deeper than this are refused: building and evaluating them is recursive.</summary>
    public const int MaxSchemaDepth = 32;

    /// <summary>Distinct schema texts kept compiled; past it the cache starts over.</summary>
    public const int MaxCachedSchemas = 256;

    /// <summary>Problems listed per answer: enough to fix it in one retry, not a wall of text.</summary>
    public const int MaxProblems = 20;

    // The answer's own nesting limit; deeper JSON is a problem, not a stack risk.
    private static readonly JsonDocumentOptions s_answerOptions = new() { MaxDepth = 64 };

    private static readonly EvaluationOptions s_evaluation = new() { OutputFormat = OutputFormat.List };

    private readonly ConcurrentDictionary<string, CompiledSchema> _schemas = new(StringComparer.Ordinal);

    /// <summary>Schemas compiled and still cached (for tests and metrics).</summary>
    public int CachedSchemas => _schemas.Count;

    /// <summary>
    /// Checks <paramref name="answer"/> (the assistant message's content) against
    /// <paramref name="responseFormat"/> (the request's <c>response_format</c> object). Any other type
    /// (<c>text</c>, missing) asks for nothing and gives no problems.
    /// </summary>
    public IReadOnlyList<SchemaProblem> ValidateAnswer(JsonElement responseFormat, string? answer)
    {
        if (responseFormat.ValueKind != JsonValueKind.Object
            || !responseFormat.TryGetProperty("type", out var type)
            || type.ValueKind != JsonValueKind.String)
        {
            return [];
        }
        var kind = type.GetString();
        if (kind is not ("json_object" or "json_schema"))
        {
            return [];
        }
        JsonElement? schema = null;
        if (kind == "json_schema"
            && responseFormat.TryGetProperty("json_schema", out var spec)
            && spec.ValueKind == JsonValueKind.Object
            && spec.TryGetProperty("schema", out var inner))
        {
            schema = inner;
        }
        var problems = new List<SchemaProblem>();
        CheckDocument(answer, "", "the answer", requireObject: true, schema, problems);
        return problems;
    }

    /// <summary>
    /// Checks <paramref name="toolCalls"/> against <paramref name="tools"/> (the request's <c>tools</c>
    /// array, chat form <c>{"type":"function","function":{"name","parameters"}}</c> or the Responses
    /// API's flat <c>{"type":"function","name","parameters"}</c>): each name must be a declared function
    /// and each arguments text JSON matching that function's <c>parameters</c> schema.
    /// </summary>
    public IReadOnlyList<SchemaProblem> ValidateToolCalls(JsonElement tools, IReadOnlyList<AnswerToolCall> toolCalls)
    {
        var declared = DeclaredFunctions(tools);
        var problems = new List<SchemaProblem>();
        for (var i = 0; i < toolCalls.Count && problems.Count < MaxProblems; i++)
        {
            var call = toolCalls[i];
            if (!declared.TryGetValue(call.Name ?? "", out var parameters))
            {
                var known = declared.Count == 0 ? "none" : string.Join(", ", declared.Keys.Order(StringComparer.Ordinal));
                problems.Add(new($"/tool_calls/{i}/function/name", $"unknown tool \"{Clip(call.Name ?? "", 100)}\"; the tools are: {known}"));
                continue;
            }
            CheckDocument(call.Arguments, $"/tool_calls/{i}/function/arguments", $"the arguments of {call.Name}", requireObject: true, parameters, problems);
        }
        return problems;
    }

    /// <summary>
    /// The user message to append for one retry: the problems (at most <see cref="MaxProblems"/>) and
    /// what to do instead.
    /// </summary>
    public static string RepairMessage(IReadOnlyList<SchemaProblem> problems)
    {
        var text = new StringBuilder("Your previous answer was not valid:");
        foreach (var problem in problems.Take(MaxProblems))
        {
            text.Append("\n- ");
            if (problem.Where.Length > 0)
            {
                text.Append("at ").Append(problem.Where).Append(": ");
            }
            text.Append(problem.Message);
        }
        if (problems.Count > MaxProblems)
        {
            text.Append("\n- and ").Append(problems.Count - MaxProblems).Append(" more");
        }
        text.Append("\nAnswer again with only valid JSON that matches the schema.");
        return text.ToString();
    }

    private void CheckDocument(string? text, string where, string what, bool requireObject, JsonElement? schema, List<SchemaProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new(where, $"{what} is empty; expected a JSON object"));
            return;
        }
        if (text.Length > MaxAnswerChars)
        {
            problems.Add(new(where, $"{what} is {text.Length} characters, over the {MaxAnswerChars} checked"));
            return;
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, s_answerOptions);
        }
        catch (JsonException e)
        {
            var fenced = text.TrimStart().StartsWith("```", StringComparison.Ordinal) ? " (it is wrapped in a Markdown code fence)" : "";
            problems.Add(new(where, $"{what} is not JSON{fenced}: {Clip(e.Message, 200)}"));
            return;
        }
        using (document)
        {
            var root = document.RootElement;
            if (requireObject && root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(new(where, $"{what} is a JSON {root.ValueKind.ToString().ToLowerInvariant()}, not an object"));
                return;
            }
            if (schema is not { } raw || raw.ValueKind is not (JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False))
            {
                return;
            }
            var compiled = Compile(raw);
            if (compiled.Schema is null)
            {
                problems.Add(new(where, $"the schema for {what} could not be used: {compiled.Error}"));
                return;
            }
            EvaluationResults results;
            try
            {
                results = compiled.Schema.Evaluate(root, s_evaluation);
            }
            catch (Exception e) when (e is JsonSchemaException or InvalidOperationException or ArgumentException)
            {
                problems.Add(new(where, $"the schema for {what} could not be evaluated: {Clip(e.Message, 200)}"));
                return;
            }
            if (results.IsValid)
            {
                return;
            }
            var before = problems.Count;
            AddErrors(results, where, problems);
            foreach (var detail in results.Details ?? [])
            {
                AddErrors(detail, where, problems);
            }
            if (problems.Count == before)
            {
                problems.Add(new(where, $"{what} does not match the schema"));
            }
        }
    }

    private static void AddErrors(EvaluationResults node, string where, List<SchemaProblem> problems)
    {
        if (node.Errors is null)
        {
            return;
        }
        foreach (var (keyword, message) in node.Errors)
        {
            if (problems.Count >= MaxProblems)
            {
                return;
            }
            var pointer = where + node.InstanceLocation.ToString();
            var entry = new SchemaProblem(pointer, Describe(node, keyword, message));
            if (!problems.Contains(entry))
            {
                problems.Add(entry);
            }
        }
    }

    private static string Describe(EvaluationResults node, string keyword, string message)
    {
        if (keyword.Length > 0)
        {
            return $"{keyword}: {message}";
        }
        // A property refused by "additionalProperties": false reports the false schema's own error,
        // without a keyword; the evaluation path says which keyword sent it there.
        var path = node.EvaluationPath.ToString();
        foreach (var refusing in (string[])["additionalProperties", "unevaluatedProperties", "propertyNames"])
        {
            if (path.Contains("/" + refusing, StringComparison.Ordinal))
            {
                return $"{refusing}: the property is not allowed";
            }
        }
        return $"{path}: {message}";
    }

    private CompiledSchema Compile(JsonElement raw)
    {
        var key = raw.GetRawText();
        if (_schemas.TryGetValue(key, out var cached))
        {
            return cached;
        }
        var compiled = Build(raw);
        if (_schemas.Count >= MaxCachedSchemas)
        {
            // Many distinct schemas means per-call schemas (generated names, embedded ids): starting
            // over keeps memory bounded and costs only a rebuild for the ones still in use.
            _schemas.Clear();
        }
        return _schemas.GetOrAdd(key, compiled);
    }

    private static CompiledSchema Build(JsonElement raw)
    {
        if (Depth(raw, 0) > MaxSchemaDepth)
        {
            return new(null, $"it is nested deeper than {MaxSchemaDepth} levels");
        }
        try
        {
            // A registry of its own per schema: the global one would keep every caller's schema (and
            // let one caller's $id shadow another's), and remote $refs are never fetched.
            var options = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
            // A clone: the schema outlives the request whose document it was read from, and keeps parts of it.
            return new(JsonSchema.Build(raw.Clone(), options), null);
        }
        catch (Exception e) when (e is JsonSchemaException or RefResolutionException or JsonException or InvalidOperationException or ArgumentException or FormatException or KeyNotFoundException)
        {
            return new(null, Clip(e.Message, 200));
        }
    }

    private static int Depth(JsonElement element, int depth)
    {
        if (depth > MaxSchemaDepth)
        {
            return depth;
        }
        var deepest = depth;
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                deepest = Math.Max(deepest, Depth(property.Value, depth + 1));
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                deepest = Math.Max(deepest, Depth(item, depth + 1));
            }
        }
        return deepest;
    }

    private static Dictionary<string, JsonElement?> DeclaredFunctions(JsonElement tools)
    {
        var declared = new Dictionary<string, JsonElement?>(StringComparer.Ordinal);
        if (tools.ValueKind != JsonValueKind.Array)
        {
            return declared;
        }
        foreach (var tool in tools.EnumerateArray())
        {
            if (tool.ValueKind != JsonValueKind.Object)
            {
                continue;
            }
            var function = tool.TryGetProperty("function", out var nested) && nested.ValueKind == JsonValueKind.Object ? nested : tool;
            if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                declared[name.GetString()!] = function.TryGetProperty("parameters", out var parameters) ? parameters : null;
            }
        }
        return declared;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
