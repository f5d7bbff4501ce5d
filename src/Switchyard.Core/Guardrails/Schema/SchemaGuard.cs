using System.Text.Json;
using Switchyard.Configuration;

namespace Switchyard.Guardrails.Schema;

/// <summary>
/// Answers that must be JSON: when the request's <c>response_format</c> is <c>json_object</c> or
/// <c>json_schema</c>, the answer must parse and match; when it offers tools with parameter schemas, the
/// answer's tool arguments must match theirs.
/// </summary>
internal sealed class SchemaGuard(string name, GuardOptions options, JsonAnswerValidator validator) : Guard(name, options)
{
    /// <summary>Problems listed on the trace per verdict; the rest are counted.</summary>
    private const int Listed = 5;

    public override ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var request = run.Request;
        if (request.ValueKind != JsonValueKind.Object)
        {
            return ValueTask.CompletedTask;
        }

        var problems = new List<SchemaProblem>();
        if (request.TryGetProperty("response_format", out var format))
        {
            for (var i = 0; i < run.Texts.Count; i++)
            {
                if (run.Texts[i].Content != GuardContent.Answer)
                {
                    continue;
                }

                var found = validator.ValidateAnswer(format, run.Texts[i].Text);
                problems.AddRange(found);
                if (found.Count > 0)
                {
                    verdict.Findings.Add(new GuardFinding("response_format", i, 0, run.Texts[i].Text.Length, Options.Action));
                }
            }
        }

        if (request.TryGetProperty("tools", out var tools) && ToolCalls(run.Answer) is { Count: > 0 } calls)
        {
            var found = validator.ValidateToolCalls(tools, calls);
            problems.AddRange(found);
            if (found.Count > 0)
            {
                verdict.Findings.Add(new GuardFinding("tool_arguments", -1, 0, 0, Options.Action));
            }
        }

        foreach (var problem in problems.Take(Listed))
        {
            verdict.Signals.Add($"{problem.Where}: {problem.Message}");
        }

        if (problems.Count > Listed)
        {
            verdict.Signals.Add($"and {problems.Count - Listed} more");
        }

        verdict.Fired = problems.Count > 0;
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
        return ValueTask.CompletedTask;
    }

    /// <summary>The tool calls of a chat completion's first choice.</summary>
    private static List<AnswerToolCall>? ToolCalls(JsonElement answer)
    {
        if (answer.ValueKind != JsonValueKind.Object || !answer.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0
            || !choices[0].TryGetProperty("message", out var message) || !message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var list = new List<AnswerToolCall>();
        foreach (var call in calls.EnumerateArray())
        {
            if (call.TryGetProperty("function", out var function) && function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                var arguments = function.TryGetProperty("arguments", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
                list.Add(new AnswerToolCall(name.GetString()!, arguments));
            }
        }

        return list;
    }
}
