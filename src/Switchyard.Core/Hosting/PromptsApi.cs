using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Identity;
using Switchyard.Prompts;

namespace Switchyard.Hosting;

/// <summary>
/// <c>/api/prompts</c>: push versions (a version is made only when the content changed), read them, and move
/// labels with an audit trail. <c>latest</c> is not stored: it always names the newest version.
/// </summary>
internal static partial class PromptsApi
{
    public const string Latest = "latest";

    /// <summary>The audit reason of a rollback, which the next rollback skips.</summary>
    public const string RollbackReason = "rollback";

    public static RouteGroupBuilder MapPromptsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/prompts", async (HttpContext http, IPromptStore store, TimeProvider time) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, PromptApiJson.Default.PromptRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            if (Draft(body, Actor(http), out var draft) is { } problem)
            {
                return ApiBody.BadRequest(problem);
            }

            var labels = body.Labels ?? [];
            if (labels.FirstOrDefault(l => LabelProblem(l) is not null) is { } badLabel)
            {
                return ApiBody.BadRequest($"labels: {LabelProblem(badLabel)}");
            }

            var now = time.GetUtcNow();
            var (version, created) = await store.AddVersionAsync(draft!, now, http.RequestAborted).ConfigureAwait(false);
            foreach (var label in labels.Distinct(StringComparer.Ordinal))
            {
                await store.MoveLabelAsync(version.Name, label, version.Version, Actor(http), "pushed with the version", null, now, http.RequestAborted).ConfigureAwait(false);
            }

            // A push returns the newest version, new or unchanged, so it is the one `latest` names.
            var current = await store.LabelsAsync(version.Name, http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json => WriteVersion(json, version, current, version.Version, created), created ? 201 : 200);
        });

        api.MapGet("/prompts", async (IPromptStore store, HttpContext http) =>
        {
            var prompts = await store.ListPromptsAsync(http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("object", "list");
                json.WriteStartArray("data");
                foreach (var prompt in prompts)
                {
                    json.WriteStartObject();
                    json.WriteString("name", prompt.Name);
                    json.WriteNumber("latest_version", prompt.LatestVersion);
                    WriteLabels(json, prompt.Labels, prompt.LatestVersion, null);
                    json.WriteString("updated_at", prompt.UpdatedAt);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        api.MapGet("/prompts/{name}", async (string name, IPromptStore store, HttpContext http) =>
        {
            var versions = await store.ListVersionsAsync(name, http.RequestAborted).ConfigureAwait(false);
            if (versions.Count == 0)
            {
                return NotFound(name);
            }

            var labels = await store.LabelsAsync(name, http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("object", "prompt");
                json.WriteString("name", name);
                json.WriteNumber("latest_version", versions[0].Version);
                WriteLabels(json, labels, versions[0].Version, null);
                json.WriteStartArray("versions");
                foreach (var version in versions)
                {
                    WriteVersion(json, version, labels, versions[0].Version, created: null);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        api.MapGet("/prompts/{name}/versions/{version:int}", async (string name, int version, IPromptStore store, HttpContext http) =>
            await store.GetVersionAsync(name, version, http.RequestAborted).ConfigureAwait(false) is { } found
                ? await VersionAnswerAsync(store, found, http).ConfigureAwait(false)
                : ApiBody.Error(404, $"Prompt '{name}' has no version {version}.", "not_found"));

        api.MapGet("/prompts/{name}/labels/{label}", async (string name, string label, IPromptStore store, HttpContext http) =>
            await ResolveAsync(store, name, label, http.RequestAborted).ConfigureAwait(false) is { } found
                ? await VersionAnswerAsync(store, found, http).ConfigureAwait(false)
                : ApiBody.Error(404, $"Prompt '{name}' has no label '{label}'.", "not_found"));

        api.MapPut("/prompts/{name}/labels/{label}", async (string name, string label, HttpContext http, IPromptStore store, TimeProvider time) =>
        {
            var (body, error) = await ApiBody.ReadAsync(http, PromptApiJson.Default.LabelRequest).ConfigureAwait(false);
            if (body is null)
            {
                return error!;
            }

            if (LabelProblem(label) is { } problem)
            {
                return ApiBody.BadRequest(problem);
            }

            if (body.Version is not > 0)
            {
                return ApiBody.BadRequest("version: required, the version number the label should point at.");
            }

            var outcome = await store.MoveLabelAsync(name, label, body.Version.Value, Actor(http), body.Reason, body.ExpectedVersion, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false);
            return outcome switch
            {
                LabelMoveOutcome.NoSuchVersion => ApiBody.Error(404, $"Prompt '{name}' has no version {body.Version}.", "not_found"),
                LabelMoveOutcome.Conflict => ApiBody.Error(409, $"The label '{label}' no longer points at version {body.ExpectedVersion}; read it again and retry.", "conflict"),
                _ => ApiBody.Json(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("object", "prompt_label");
                    json.WriteString("name", name);
                    json.WriteString("label", label);
                    json.WriteNumber("version", body.Version.Value);
                    json.WriteBoolean("moved", outcome == LabelMoveOutcome.Moved);
                    json.WriteEndObject();
                }),
            };
        });

        api.MapPost("/prompts/{name}/labels/{label}/rollback", async (string name, string label, HttpContext http, IPromptStore store, TimeProvider time) =>
        {
            var labels = await store.LabelsAsync(name, http.RequestAborted).ConfigureAwait(false);
            if (!labels.TryGetValue(label, out var current))
            {
                return ApiBody.Error(404, $"Prompt '{name}' has no label '{label}'.", "not_found");
            }

            // The version the label pointed at before the current one was moved in, not counting rollbacks:
            // rolling back twice goes further back, it does not undo the first rollback.
            var previous = (await store.LabelHistoryAsync(name, http.RequestAborted).ConfigureAwait(false))
                .FirstOrDefault(m => m.Label == label && m.To == current && m.Reason != RollbackReason)?.From;
            if (previous is not { } target)
            {
                return ApiBody.Error(409, $"The label '{label}' has no earlier version to roll back to.", "conflict");
            }

            return await store.MoveLabelAsync(name, label, target, Actor(http), RollbackReason, current, time.GetUtcNow(), http.RequestAborted).ConfigureAwait(false) switch
            {
                LabelMoveOutcome.Moved => ApiBody.Json(json =>
                {
                    json.WriteStartObject();
                    json.WriteString("object", "prompt_label");
                    json.WriteString("name", name);
                    json.WriteString("label", label);
                    json.WriteNumber("version", target);
                    json.WriteNumber("from_version", current);
                    json.WriteBoolean("moved", true);
                    json.WriteEndObject();
                }),
                _ => ApiBody.Error(409, $"The label '{label}' moved while rolling back; read it again and retry.", "conflict"),
            };
        });

        api.MapGet("/prompts/{name}/diff", async (string name, HttpContext http, IPromptStore store) =>
        {
            var query = http.Request.Query;
            if (!int.TryParse(query["from"], out var fromNumber) || !int.TryParse(query["to"], out var toNumber))
            {
                return ApiBody.BadRequest("from, to: the two version numbers to compare, as ?from=1&to=2.");
            }

            var from = await store.GetVersionAsync(name, fromNumber, http.RequestAborted).ConfigureAwait(false);
            var to = await store.GetVersionAsync(name, toNumber, http.RequestAborted).ConfigureAwait(false);
            if (from is null || to is null)
            {
                return ApiBody.Error(404, $"Prompt '{name}' has no version {(from is null ? fromNumber : toNumber)}.", "not_found");
            }

            var lines = PromptDiff.Lines(from, to);
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("object", "prompt_diff");
                json.WriteString("name", name);
                json.WriteNumber("from", fromNumber);
                json.WriteNumber("to", toNumber);
                json.WriteBoolean("changed", lines.Any(l => l.Change != ' '));
                json.WriteStartArray("lines");
                foreach (var (change, text) in lines)
                {
                    json.WriteStringValue(change + text);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        api.MapGet("/prompts/{name}/history", async (string name, IPromptStore store, HttpContext http) =>
        {
            var moves = await store.LabelHistoryAsync(name, http.RequestAborted).ConfigureAwait(false);
            return ApiBody.Json(json =>
            {
                json.WriteStartObject();
                json.WriteString("object", "list");
                json.WriteStartArray("data");
                foreach (var move in moves)
                {
                    json.WriteStartObject();
                    json.WriteString("label", move.Label);
                    if (move.From is { } from)
                    {
                        json.WriteNumber("from_version", from);
                    }
                    else
                    {
                        json.WriteNull("from_version");
                    }

                    json.WriteNumber("to_version", move.To);
                    json.WriteString("actor", move.Actor);
                    json.WriteString("reason", move.Reason);
                    json.WriteString("at", move.At);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            });
        });

        return api;
    }

    /// <summary>A label's version; <c>latest</c> is the newest.</summary>
    public static async Task<PromptVersion?> ResolveAsync(IPromptStore store, string name, string label, CancellationToken cancellationToken)
    {
        if (label == Latest)
        {
            var versions = await store.ListVersionsAsync(name, cancellationToken).ConfigureAwait(false);
            return versions.Count > 0 ? versions[0] : null;
        }

        return (await store.LabelsAsync(name, cancellationToken).ConfigureAwait(false)).TryGetValue(label, out var version)
            ? await store.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>
    /// One version, with a strong ETag: a client that polls (the .NET client caches prompts) sends it back in
    /// <c>If-None-Match</c> and gets a bodiless 304 while nothing it would see has changed.
    /// </summary>
    private static async Task<IResult> VersionAnswerAsync(IPromptStore store, PromptVersion version, HttpContext http)
    {
        var labels = await store.LabelsAsync(version.Name, http.RequestAborted).ConfigureAwait(false);
        var latest = (await store.ListVersionsAsync(version.Name, http.RequestAborted).ConfigureAwait(false))[0].Version;
        var etag = ETag(version, labels, latest);
        http.Response.Headers.ETag = etag;
        if (Matches(http.Request.Headers.IfNoneMatch, etag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return ApiBody.Json(json => WriteVersion(json, version, labels, latest, created: null));
    }

    /// <summary>
    /// Over what the answer shows: the content, the version, and the labels pointing at it (with
    /// <c>latest</c>), so moving a label onto or off the version changes it. The message, author and time of a
    /// version never change.
    /// </summary>
    internal static string ETag(PromptVersion version, IReadOnlyDictionary<string, int> labels, int latest)
    {
        var pointing = labels.Where(l => l.Value == version.Version).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        if (version.Version == latest)
        {
            pointing.Add(Latest);
        }

        var text = $"{version.ContentHash}\n{version.Version}\n{string.Join('\n', pointing)}";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return $"\"{Convert.ToHexStringLower(hash.AsSpan(0, 16))}\"";
    }

    /// <summary>The weak comparison RFC 9110 asks of <c>If-None-Match</c>: a proxy may have marked the tag <c>W/</c>; <c>*</c> matches any.</summary>
    private static bool Matches(Microsoft.Extensions.Primitives.StringValues ifNoneMatch, string etag)
    {
        foreach (var header in ifNoneMatch)
        {
            foreach (var tag in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (tag == "*" || (tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag) == etag)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static IResult NotFound(string name) => ApiBody.Error(404, $"No prompt named '{name}'.", "not_found");

    private static string Actor(HttpContext http) => Reach.Of(http).Key?.Id ?? "admin";

    /// <summary>The request as a draft, or the first problem with it.</summary>
    private static string? Draft(PromptRequest body, string author, out PromptDraft? draft)
    {
        draft = null;
        if (body.Name is not { } name || !PromptName().IsMatch(name))
        {
            return "name: required, 1–128 letters, digits, '-', '_' or '.', starting with a letter or digit.";
        }

        var kind = body.Type switch
        {
            null => body.Prompt.ValueKind == JsonValueKind.Array ? PromptKind.Chat : PromptKind.Text,
            "chat" => PromptKind.Chat,
            "text" => PromptKind.Text,
            _ => (PromptKind?)null,
        };
        if (kind is null)
        {
            return "type: must be chat or text.";
        }

        if (kind == PromptKind.Text ? body.Prompt.ValueKind != JsonValueKind.String : body.Prompt.ValueKind != JsonValueKind.Array)
        {
            return kind == PromptKind.Text ? "prompt: a text prompt is a string." : "prompt: a chat prompt is an array of messages.";
        }

        var variables = new List<PromptVariable>();
        foreach (var variable in body.Variables ?? [])
        {
            if (variable.Name is not { } variableName || !VariableName().IsMatch(variableName))
            {
                return "variables: each needs a name of letters, digits, '_' or '-', starting with a letter or '_'.";
            }

            var type = variable.Type ?? "string";
            if (type is not ("string" or "number" or "boolean" or "json"))
            {
                return $"variables.{variableName}.type: must be string, number, boolean or json.";
            }

            string? fallback = null;
            if (variable.Default is { ValueKind: not JsonValueKind.Null } given)
            {
                fallback = (type, given.ValueKind) switch
                {
                    ("string", JsonValueKind.String) => given.GetString(),
                    ("number", JsonValueKind.Number) => given.GetRawText(),
                    ("boolean", JsonValueKind.True or JsonValueKind.False) => given.GetRawText(),
                    ("json", _) => given.GetRawText(),
                    _ => null,
                };
                if (fallback is null)
                {
                    return $"variables.{variableName}.default: must be a {type}.";
                }
            }

            if (variables.Any(v => v.Name == variableName))
            {
                return $"variables.{variableName}: declared twice.";
            }

            variables.Add(new PromptVariable(variableName, type, fallback));
        }

        foreach (var (field, value) in (ReadOnlySpan<(string, JsonElement?)>)[("parameters", body.Parameters), ("response_format", body.ResponseFormat)])
        {
            if (value is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
            {
                return $"{field}: must be a JSON object.";
            }
        }

        if (body.Tools is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) })
        {
            return "tools: must be an array of tools.";
        }

        draft = new PromptDraft
        {
            Name = name,
            Kind = kind.Value,
            Template = kind == PromptKind.Text ? body.Prompt.GetString()! : body.Prompt.GetRawText(),
            Variables = variables,
            ModelGroup = body.Model,
            PinnedModel = body.PinnedModel,
            ParametersJson = Raw(body.Parameters),
            ToolsJson = Raw(body.Tools),
            ResponseFormatJson = Raw(body.ResponseFormat),
            Message = body.Message,
            Author = author,
        };

        // Refused before it is stored: a version that cannot render would fail every call that uses it.
        if (CompiledPrompt.TryCompile(new PromptVersion(0, draft, default, ""), out var problem) is null)
        {
            draft = null;
            return $"prompt: {problem}";
        }

        return null;
    }

    private static string? Raw(JsonElement? value) => value is { ValueKind: not JsonValueKind.Null } given ? given.GetRawText() : null;

    private static string? LabelProblem(string label) =>
        label == Latest ? "'latest' always names the newest version; it cannot be moved."
        : LabelName().IsMatch(label) ? null
        : $"'{label}' is not a label: 1–64 letters, digits, '-', '_' or '.'.";

    private static void WriteVersion(Utf8JsonWriter json, PromptVersion version, IReadOnlyDictionary<string, int> labels, int latest, bool? created)
    {
        var content = version.Content;
        json.WriteStartObject();
        json.WriteString("object", "prompt_version");
        json.WriteString("name", version.Name);
        json.WriteNumber("version", version.Version);
        if (created is { } made)
        {
            json.WriteBoolean("created", made);
        }

        json.WriteString("type", content.Kind == PromptKind.Chat ? "chat" : "text");
        json.WritePropertyName("prompt");
        if (content.Kind == PromptKind.Chat)
        {
            json.WriteRawValue(content.Template);
        }
        else
        {
            json.WriteStringValue(content.Template);
        }

        json.WriteStartArray("variables");
        foreach (var variable in content.Variables)
        {
            json.WriteStartObject();
            json.WriteString("name", variable.Name);
            json.WriteString("type", variable.Type);
            json.WritePropertyName("default");
            if (variable.Default is null)
            {
                json.WriteNullValue();
            }
            else if (variable.Type == "string")
            {
                json.WriteStringValue(variable.Default);
            }
            else
            {
                json.WriteRawValue(variable.Default);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("model", content.ModelGroup);
        json.WriteString("pinned_model", content.PinnedModel);
        foreach (var (field, raw) in (ReadOnlySpan<(string, string?)>)[("parameters", content.ParametersJson), ("tools", content.ToolsJson), ("response_format", content.ResponseFormatJson)])
        {
            json.WritePropertyName(field);
            if (raw is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteRawValue(raw);
            }
        }

        json.WriteString("message", content.Message);
        json.WriteString("author", content.Author);
        WriteLabels(json, labels, latest, version.Version);
        json.WriteString("created_at", version.CreatedAt);
        json.WriteEndObject();
    }

    /// <summary>The labels (with <c>latest</c>): all of them as a map, or, for one version, the ones pointing at it.</summary>
    private static void WriteLabels(Utf8JsonWriter json, IReadOnlyDictionary<string, int> labels, int latest, int? only)
    {
        if (only is { } version)
        {
            json.WriteStartArray("labels");
            foreach (var (label, _) in labels.Where(l => l.Value == version).OrderBy(l => l.Key, StringComparer.Ordinal))
            {
                json.WriteStringValue(label);
            }

            if (version == latest)
            {
                json.WriteStringValue(Latest);
            }

            json.WriteEndArray();
            return;
        }

        json.WriteStartObject("labels");
        foreach (var (label, target) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(label, target);
        }

        json.WriteNumber(Latest, latest);
        json.WriteEndObject();
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PromptName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_\-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();
}
