using System.Text.Json;
using Switchyard.Configuration;

namespace Switchyard.Guardrails.Schema;

/// <summary>
/// Answers that must be JSON: when the request's <c>response_format</c> is <c>json_object</c> or
/// <c>json_schema</c>, the answer must parse and match; when it offers tools with parameter schemas, the
/// answer's tool arguments must match theirs.
/// </summary>
internal sealed class SchemaGuard(string name, GuardOptions options, JsonAnswerValidator validator, External.GatewaySelfCall? gateway = null) : Guard(name, options)
{
    /// <summary>Whether a failing plain chat answer is asked for once more (<c>repair: retry</c>) before the action applies.</summary>
    public bool Repairs => Options.Repair == SchemaRepair.Retry && gateway is not null;

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

    /// <summary>
    /// The request once more, through the gateway (traced in the call's trace, tagged <c>guardrail</c>), with
    /// the answer that failed and what was wrong with it appended. Null when the retry could not be made or
    /// did not answer 200: the guard's action then applies to the first answer.
    /// </summary>
    public async Task<byte[]?> RetryAsync(Gateway.CallContext call, JsonElement request, string? answer, IReadOnlyList<string> problems, CancellationToken cancellationToken)
    {
        if (gateway is null || request.ValueKind != JsonValueKind.Object || !request.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var property in request.EnumerateObject())
            {
                if (property.NameEquals("stream") || property.NameEquals("stream_options") || property.NameEquals("messages"))
                {
                    continue;
                }

                property.WriteTo(json);
            }

            json.WriteStartArray("messages");
            foreach (var message in messages.EnumerateArray())
            {
                message.WriteTo(json);
            }

            // A tool call is not replayed: a tool-call turn must be followed by its results, which do not exist.
            if (!string.IsNullOrEmpty(answer))
            {
                json.WriteStartObject();
                json.WriteString("role", "assistant");
                json.WriteString("content", answer);
                json.WriteEndObject();
            }

            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", "Your previous answer did not validate: " + string.Join("; ", problems) + ". Answer again, correcting this, and give only the corrected answer.");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        var (status, reply) = await gateway.ChatAsync(body.ToArray(), Name, call, cancellationToken).ConfigureAwait(false);
        return status == 200 ? reply : null;
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
