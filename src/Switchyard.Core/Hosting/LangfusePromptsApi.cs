using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Prompts;

namespace Switchyard.Hosting;

/// <summary>
/// Langfuse's prompt API over the registry, so Langfuse's SDKs (<c>prompt.get</c>, <c>get_prompt</c>) and
/// tools built on them (promptfoo's <c>langfuse://</c>) read and create prompts in Switchyard unchanged:
/// <c>GET /api/public/v2/prompts/{name}</c>, <c>GET /api/public/v2/prompts</c>, <c>POST /api/public/v2/prompts</c> and
/// <c>PATCH /api/public/v2/prompts/{name}/versions/{version}</c>. Keys come as the SDKs send them (Basic, the key as
/// password) or as Bearer; reads need <c>read</c>, creating a version or moving labels <c>admin</c>, as under <c>/api/prompts</c>. Errors are Langfuse's <c>{message, error}</c>.
/// </summary>
internal static partial class LangfusePromptsApi
{
    public const string Production = "production";

    private const long MaxBody = 1024 * 1024;
    private const int MaxCommitMessage = 500;

    private static readonly JsonDocumentOptions s_parsing = new() { MaxDepth = 64 };

    public static IEndpointRouteBuilder MapLangfusePrompts(this IEndpointRouteBuilder app)
    {
        var access = app.ServiceProvider.GetRequiredService<ApiAccess>();
        app.MapGet("/api/public/v2/prompts/{name}", (string name, HttpContext http, IPromptStore store) => GetAsync(Uri.UnescapeDataString(name), http, store, access));
        app.MapGet("/api/public/v2/prompts", (HttpContext http, IPromptStore store) => ListAsync(http, store, access));
        app.MapPost("/api/public/v2/prompts", (HttpContext http, IPromptStore store, TimeProvider time) => CreateAsync(http, store, time, access));
        app.MapMethods("/api/public/v2/prompts/{name}/versions/{version}", [HttpMethods.Patch], (string name, string version, HttpContext http, IPromptStore store, TimeProvider time) =>
            LabelAsync(Uri.UnescapeDataString(name), version, http, store, time, access));
        return app;
    }

    private static async Task<IResult> GetAsync(string name, HttpContext http, IPromptStore store, ApiAccess access)
    {
        if (Denied(http, access, KeyScopes.Read) is { } denied)
        {
            return denied;
        }

        var query = http.Request.Query;
        int? number = null;
        if (query.TryGetValue("version", out var versionText))
        {
            if (!int.TryParse(versionText.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return Error(400, "version: must be a positive integer.");
            }

            number = parsed;
        }

        var label = query.TryGetValue("label", out var labelText) ? labelText.ToString() : null;
        if (number is not null && label is not null)
        {
            return Error(400, "Cannot specify both version and label");
        }

        var notFound = $"Prompt not found: '{Shorten(name)}'" + (number is { } n ? $" with version {n}" : $" with label '{Shorten(label ?? Production)}'");
        if (!PromptName().IsMatch(name))
        {
            return Error(404, notFound);
        }

        var versions = await store.ListVersionsAsync(name, http.RequestAborted).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return Error(404, notFound);
        }

        var labels = await store.LabelsAsync(name, http.RequestAborted).ConfigureAwait(false);
        int? wanted = number ?? (label ?? Production) switch
        {
            PromptsApi.Latest => versions[0].Version,
            var named => labels.TryGetValue(named, out var pointed) ? pointed : null,
        };
        var found = versions.FirstOrDefault(v => v.Version == wanted);
        if (found is null)
        {
            return Error(404, notFound);
        }

        var moves = await store.LabelHistoryAsync(name, http.RequestAborted).ConfigureAwait(false);
        return Answer(http, Describe(found, versions, labels, moves), LangfuseJson.Default.LangfusePrompt, 200);
    }

    private static async Task<IResult> ListAsync(HttpContext http, IPromptStore store, ApiAccess access)
    {
        if (Denied(http, access, KeyScopes.Read) is { } denied)
        {
            return denied;
        }

        var query = http.Request.Query;
        if (Number(query, "page", 1, 1, int.MaxValue, out var page) is { } pageProblem)
        {
            return Error(400, pageProblem);
        }

        if (Number(query, "limit", 10, 1, 100, out var limit) is { } limitProblem)
        {
            return Error(400, limitProblem);
        }

        if (Number(query, "version", 0, 1, int.MaxValue, out var version) is { } versionProblem)
        {
            return Error(400, versionProblem);
        }

        if (Time(query, "fromUpdatedAt", out var from) is { } fromProblem)
        {
            return Error(400, fromProblem);
        }

        if (Time(query, "toUpdatedAt", out var to) is { } toProblem)
        {
            return Error(400, toProblem);
        }

        var name = query.TryGetValue("name", out var nameText) ? nameText.ToString() : null;
        var label = query.TryGetValue("label", out var labelText) ? labelText.ToString() : null;

        // Switchyard keeps no tags: filtering by one finds nothing, as it would in a Langfuse project without them.
        var tagged = !query.TryGetValue("tag", out var tag) || string.IsNullOrEmpty(tag.ToString());
        var matches = new List<(PromptSummary Prompt, List<int> Versions, DateTimeOffset Updated)>();
        foreach (var prompt in tagged ? await store.ListPromptsAsync(http.RequestAborted).ConfigureAwait(false) : [])
        {
            if (name is not null && prompt.Name != name)
            {
                continue;
            }

            // The versions the filters keep, newest first, as Langfuse filters versions before grouping them.
            var kept = Enumerable.Range(1, prompt.LatestVersion).Reverse()
                .Where(v => version == 0 || v == version)
                .Where(v => label is null || (label == PromptsApi.Latest ? v == prompt.LatestVersion : prompt.Labels.TryGetValue(label, out var at) && at == v))
                .ToList();
            var updated = prompt.UpdatedAt;
            if (kept.Count > 0 && (from is not null || to is not null))
            {
                // A version's time is when it was made; label moves count for the prompt as a whole.
                var created = (await store.ListVersionsAsync(prompt.Name, http.RequestAborted).ConfigureAwait(false)).ToDictionary(v => v.Version, v => v.CreatedAt);
                kept = [.. kept.Where(v => created.TryGetValue(v, out var at) && (from is null || at >= from) && (to is null || at < to))];
                updated = kept.Count > 0 ? created[kept[0]] : updated;
            }

            if (kept.Count > 0)
            {
                matches.Add((prompt, kept, updated));
            }
        }

        var data = new List<LangfusePromptMeta>();
        foreach (var (prompt, kept, updated) in matches.Skip((int)Math.Min((long)(page - 1) * limit, int.MaxValue)).Take(limit))
        {
            var newest = await store.GetVersionAsync(prompt.Name, kept[0], http.RequestAborted).ConfigureAwait(false);
            if (newest is null)
            {
                continue;
            }

            var labels = prompt.Labels.Where(l => kept.Contains(l.Value)).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
            if (kept.Contains(prompt.LatestVersion))
            {
                labels.Add(PromptsApi.Latest);
            }

            data.Add(new LangfusePromptMeta(prompt.Name, Kind(newest), [.. kept.Order()], labels, [], updated, LangfusePromptConfig.Write(newest.Content)));
        }

        var pages = (matches.Count + limit - 1) / limit;
        return Answer(http, new LangfusePromptList(data, new LangfusePageMeta(page, limit, matches.Count, pages)), LangfuseJson.Default.LangfusePromptList, 200);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IPromptStore store, TimeProvider time, ApiAccess access)
    {
        var decision = access.Authorize(http.Request, KeyScopes.Admin);
        if (!decision.Allowed)
        {
            return Refused(http, decision);
        }

        var (request, error) = await ReadAsync(http, LangfuseJson.Default.LangfusePromptBody).ConfigureAwait(false);
        if (request is null)
        {
            return error!;
        }

        var actor = decision.Key?.Id ?? "admin";
        if (Draft(request, actor, out var draft) is { } invalid)
        {
            return Error(400, invalid);
        }

        var labels = new List<string>();
        foreach (var label in request.Labels ?? [])
        {
            if (label is null || !LabelName().IsMatch(label))
            {
                return Error(400, $"labels: '{Shorten(label ?? "null")}' is not a label: 1–64 letters, digits, '-', '_' or '.'.");
            }

            // Langfuse puts 'latest' on every new version itself; here it is not stored but always names the newest.
            if (label != PromptsApi.Latest && !labels.Contains(label))
            {
                labels.Add(label);
            }
        }

        var now = time.GetUtcNow();
        var (version, created) = await store.AddVersionAsync(draft!, now, http.RequestAborted).ConfigureAwait(false);
        foreach (var label in labels)
        {
            await store.MoveLabelAsync(version.Name, label, version.Version, actor, "pushed with the version (Langfuse API)", null, now, http.RequestAborted).ConfigureAwait(false);
        }

        var versions = await store.ListVersionsAsync(version.Name, http.RequestAborted).ConfigureAwait(false);
        var current = await store.LabelsAsync(version.Name, http.RequestAborted).ConfigureAwait(false);
        var moves = await store.LabelHistoryAsync(version.Name, http.RequestAborted).ConfigureAwait(false);

        // Langfuse always makes a version (201); pushing unchanged content makes none here, said with a 200.
        return Answer(http, Describe(version, versions, current, moves), LangfuseJson.Default.LangfusePrompt, created ? 201 : 200);
    }

    /// <summary>
    /// Langfuse's label update (the SDKs' <c>prompt.update</c>): each of <c>newLabels</c> moves onto the version,
    /// atomically and audited as <c>PUT /api/prompts/{name}/labels/{label}</c> moves it; labels are never removed.
    /// </summary>
    private static async Task<IResult> LabelAsync(string name, string versionText, HttpContext http, IPromptStore store, TimeProvider time, ApiAccess access)
    {
        var decision = access.Authorize(http.Request, KeyScopes.Admin);
        if (!decision.Allowed)
        {
            return Refused(http, decision);
        }

        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return Error(400, "version: must be a positive integer.");
        }

        var (request, problem) = await ReadAsync(http, LangfuseJson.Default.LangfuseLabelsBody).ConfigureAwait(false);
        if (request is null)
        {
            return problem!;
        }

        if (request.NewLabels is not { } labels)
        {
            return Error(400, "newLabels: required, an array of labels.");
        }

        foreach (var label in labels)
        {
            if (label == PromptsApi.Latest)
            {
                return Error(400, "Label 'latest' is always assigned to the latest prompt version");
            }

            if (label is null || !LabelName().IsMatch(label))
            {
                return Error(400, $"newLabels: '{Shorten(label ?? "null")}' is not a label: 1–64 letters, digits, '-', '_' or '.'.");
            }
        }

        var notFound = $"Prompt not found: '{Shorten(name)}' with version {number}";
        if (!PromptName().IsMatch(name) || await store.GetVersionAsync(name, number, http.RequestAborted).ConfigureAwait(false) is not { } version)
        {
            return Error(404, notFound);
        }

        var actor = decision.Key?.Id ?? "admin";
        var now = time.GetUtcNow();
        foreach (var label in labels.Distinct(StringComparer.Ordinal))
        {
            await store.MoveLabelAsync(name, label, number, actor, "moved through the Langfuse API", null, now, http.RequestAborted).ConfigureAwait(false);
        }

        var versions = await store.ListVersionsAsync(name, http.RequestAborted).ConfigureAwait(false);
        var current = await store.LabelsAsync(name, http.RequestAborted).ConfigureAwait(false);
        var moves = await store.LabelHistoryAsync(name, http.RequestAborted).ConfigureAwait(false);
        return Answer(http, Describe(version, versions, current, moves), LangfuseJson.Default.LangfusePrompt, 200);
    }

    /// <summary>The body as a <typeparamref name="T"/>, or the error to answer with: too large, not UTF-8, not JSON, or of the wrong shape.</summary>
    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext http, JsonTypeInfo<T> type)
        where T : class
    {
        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return (null, Error(413, $"The body is larger than {MaxBody} bytes."));
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return (null, Error(400, "The body is not valid UTF-8."));
        }

        try
        {
            using var document = JsonDocument.Parse(body.Memory, s_parsing);
            return ApiBody.Bind(document.RootElement, type, out var value) is { } problem ? (null, Error(400, problem)) : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Error(400, $"The body is not valid JSON: {ex.Message.Split(" LineNumber", 2)[0]}"));
        }
    }

    /// <summary>The body as a draft, or the first problem with it.</summary>
    private static string? Draft(LangfusePromptBody body, string author, out PromptDraft? draft)
    {
        draft = null;
        if (body.Name is not { } name || !PromptName().IsMatch(name))
        {
            return "name: required, 1–128 letters, digits, '-', '_' or '.', starting with a letter or digit (Switchyard's prompt names; no folders).";
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

        string template;
        if (kind == PromptKind.Text)
        {
            if (body.Prompt.ValueKind != JsonValueKind.String)
            {
                return "prompt: a text prompt is a string.";
            }

            template = body.Prompt.GetString()!;
        }
        else if (Messages(body.Prompt, out template) is { } problem)
        {
            return problem;
        }

        if (body.Tags is { Length: > 0 })
        {
            return "tags: Switchyard does not keep prompt tags; send none.";
        }

        if (body.CommitMessage is { Length: > MaxCommitMessage })
        {
            return $"commitMessage: at most {MaxCommitMessage} characters.";
        }

        var plain = new PromptDraft { Name = name, Kind = kind.Value, Template = template, Message = body.CommitMessage, Author = author };
        if (LangfusePromptConfig.Read(body.Config, plain, out draft) is { } configProblem)
        {
            return configProblem;
        }

        // Refused before it is stored: a version that cannot render would fail every call that uses it.
        if (CompiledPrompt.TryCompile(new PromptVersion(0, draft!, default, ""), out var compileProblem) is null)
        {
            draft = null;
            return $"prompt: {compileProblem}";
        }

        return null;
    }

    /// <summary>
    /// Langfuse chat messages as stored: each needs a role and a text content. The SDK marks each
    /// <c>"type": "chatmessage"</c>; that is dropped, so the stored messages are what a model call is sent.
    /// </summary>
    private static string? Messages(JsonElement prompt, out string template)
    {
        template = "";
        if (prompt.ValueKind != JsonValueKind.Array)
        {
            return "prompt: a chat prompt is an array of messages.";
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            var index = 0;
            foreach (var message in prompt.EnumerateArray())
            {
                if (message.ValueKind != JsonValueKind.Object)
                {
                    return $"prompt[{index}]: a message is an object with role and content.";
                }

                if (message.TryGetProperty("type", out var type) && !(type.ValueKind == JsonValueKind.String && type.GetString() == "chatmessage"))
                {
                    return type.ValueKind == JsonValueKind.String && type.GetString() == "placeholder"
                        ? $"prompt[{index}]: message placeholders are not supported; use a {{{{variable}}}} in a message instead."
                        : $"prompt[{index}].type: must be chatmessage.";
                }

                if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String || role.GetString()!.Length == 0)
                {
                    return $"prompt[{index}].role: required, a string.";
                }

                if (!message.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
                {
                    return $"prompt[{index}].content: required, a string.";
                }

                json.WriteStartObject();
                foreach (var property in message.EnumerateObject())
                {
                    if (!property.NameEquals("type"))
                    {
                        property.WriteTo(json);
                    }
                }

                json.WriteEndObject();
                index++;
            }

            json.WriteEndArray();
        }

        template = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return null;
    }

    /// <summary>A version in Langfuse's shape, with the labels pointing at it and <c>latest</c> on the newest.</summary>
    private static LangfusePrompt Describe(PromptVersion version, IReadOnlyList<PromptVersion> versions, IReadOnlyDictionary<string, int> labels, IReadOnlyList<PromptLabelMove> moves)
    {
        var content = version.Content;
        var names = labels.Where(l => l.Value == version.Version).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        if (versions.Count > 0 && versions[0].Version == version.Version)
        {
            names.Add(PromptsApi.Latest);
        }

        // As in Langfuse, a version changes when a label moves onto or off it, and when 'latest' passes to the next one.
        var updated = version.CreatedAt;
        foreach (var move in moves.Where(m => m.To == version.Version || m.From == version.Version))
        {
            updated = move.At > updated ? move.At : updated;
        }

        if (versions.FirstOrDefault(v => v.Version == version.Version + 1) is { } next && next.CreatedAt > updated)
        {
            updated = next.CreatedAt;
        }

        JsonElement prompt;
        if (content.Kind == PromptKind.Chat)
        {
            using var messages = JsonDocument.Parse(content.Template);
            prompt = messages.RootElement.Clone();
        }
        else
        {
            prompt = JsonSerializer.SerializeToElement(content.Template, LangfuseJson.Default.String);
        }

        return new LangfusePrompt(
            $"{version.Name}:{version.Version}",
            version.Name,
            version.Version,
            Kind(version),
            prompt,
            LangfusePromptConfig.Write(content),
            names,
            [],
            content.Message,
            version.CreatedAt,
            updated,
            content.Author ?? "API",
            names.Contains(Production),
            null);
    }

    private static string Kind(PromptVersion version) => version.Content.Kind == PromptKind.Chat ? "chat" : "text";

    /// <summary>
    /// The answer with a strong ETag over its bytes; a request whose If-None-Match holds it gets a bodiless 304,
    /// so a client that revalidates its cached prompt does not download it again.
    /// </summary>
    private static IResult Answer<T>(HttpContext http, T value, JsonTypeInfo<T> type, int status)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var tag = $"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 16))}\"";
        var headers = http.Response.Headers;
        headers.ETag = tag;
        headers.CacheControl = "private, no-cache";
        if (status == 200 && Matches(http.Request.Headers.IfNoneMatch.ToString(), tag))
        {
            return Results.StatusCode(304);
        }

        return Results.Content(System.Text.Encoding.UTF8.GetString(bytes), ApiBody.JsonType, System.Text.Encoding.UTF8, status);
    }

    /// <summary>If-None-Match compares weakly (RFC 9110): a W/ prefix does not stop a match; <c>*</c> matches anything.</summary>
    private static bool Matches(string ifNoneMatch, string tag)
    {
        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (candidate == "*" || (candidate.StartsWith("W/", StringComparison.Ordinal) ? candidate[2..] : candidate) == tag)
            {
                return true;
            }
        }

        return false;
    }

    private static IResult? Denied(HttpContext http, ApiAccess access, KeyScopes scope)
    {
        var decision = access.Authorize(http.Request, scope);
        return decision.Allowed ? null : Refused(http, decision);
    }

    private static IResult Refused(HttpContext http, AccessDecision decision)
    {
        if (decision.RetryAfter is { } retry)
        {
            GatewayErrors.SetRetryAfter(http.Response.Headers, retry);
        }

        var message = decision.Status == 401 ? decision.Message + " Langfuse SDKs: the Switchyard key as the secret key (Basic auth password)." : decision.Message!;
        return Error(decision.Status, message);
    }

    private static IResult Error(int status, string message) =>
        Results.Json(new LangfuseError(message, status switch
        {
            400 => "InvalidRequestError",
            401 => "UnauthorizedError",
            403 => "ForbiddenError",
            404 => "LangfuseNotFoundError",
            413 => "PayloadTooLargeError",
            429 => "TooManyRequestsError",
            _ => "InternalServerError",
        }), LangfuseJson.Default.LangfuseError, statusCode: status);

    private static string? Number(IQueryCollection query, string name, int fallback, int min, int max, out int value)
    {
        value = fallback;
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        return int.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max
            ? null
            : $"{name}: must be an integer from {min}{(max == int.MaxValue ? " up" : $" to {max}")}.";
    }

    private static string? Time(IQueryCollection query, string name, out DateTimeOffset? value)
    {
        value = null;
        if (!query.TryGetValue(name, out var text))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return $"{name}: must be an ISO 8601 time such as 2026-12-31T23:59:59Z.";
        }

        value = parsed;
        return null;
    }

    /// <summary>A caller's text echoed in a message, cut so that a huge name does not make a huge error.</summary>
    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PromptName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelName();
}
