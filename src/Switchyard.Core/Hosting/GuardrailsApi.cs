using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Switchyard.Guardrails;
using Switchyard.Identity;

namespace Switchyard.Hosting;

/// <summary>
/// <c>POST /api/guardrails/check</c> (<c>inference</c> scope): the configured guards on a text or on chat
/// messages, for applications that guard their own steps (agent tool calls, retrieved chunks).
/// <c>GET /api/guardrails</c>: the guards and the lists model groups run.
/// </summary>
internal static class GuardrailsApi
{
    /// <summary>A check reads at most this much: 1 MB texts are checked, each detector on its documented window.</summary>
    private const long MaxBody = 4 * 1024 * 1024;

    public static RouteGroupBuilder MapGuardrailsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/guardrails/check", CheckAsync).WithMetadata(new RequiredScope(KeyScopes.Inference));
        api.MapGet("/guardrails", (GuardrailCatalog catalog, Configuration.SwitchyardOptions options) => Results.Bytes(Describe(catalog, options), ApiBody.JsonType));
        return api;
    }

    private static async Task<IResult> CheckAsync(HttpContext http, GuardrailChecker checker)
    {
        using var body = await Ingress.RequestBodyReader.ReadAsync(http.Request, MaxBody, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return ApiBody.Error(413, $"The body is larger than {MaxBody} bytes.", "request_too_large");
        }

        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return ApiBody.BadRequest("The body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            return ApiBody.BadRequest($"The body is not valid JSON: {ex.Message.Split(" LineNumber", 2)[0]}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return ApiBody.BadRequest("The body must be a JSON object: {\"text\": \"...\"} or {\"messages\": [...]}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("text" or "messages" or "content" or "guards" or "request"))
                {
                    return ApiBody.BadRequest($"{property.Name}: unknown field (expected text or messages, and optionally content, guards and request).");
                }
            }

            var hasText = root.TryGetProperty("text", out var text);
            var hasMessages = root.TryGetProperty("messages", out var messages);
            if (hasText == hasMessages)
            {
                return ApiBody.BadRequest("Give either text (a string) or messages (chat messages), not both or neither.");
            }

            if (hasText && text.ValueKind != JsonValueKind.String)
            {
                return ApiBody.BadRequest("text: must be a string.");
            }

            if (hasMessages && messages.ValueKind != JsonValueKind.Array)
            {
                return ApiBody.BadRequest("messages: must be an array of chat messages.");
            }

            var content = GuardContent.User;
            if (root.TryGetProperty("content", out var contentValue))
            {
                if (!hasText || contentValue.ValueKind != JsonValueKind.String || !TryContent(contentValue.GetString()!, out content))
                {
                    return ApiBody.BadRequest("content: with text, one of user, data, instruction or answer (answer runs the output guards).");
                }
            }

            List<string>? names = null;
            if (root.TryGetProperty("guards", out var guardsValue))
            {
                if (guardsValue.ValueKind != JsonValueKind.Array || guardsValue.EnumerateArray().Any(g => g.ValueKind != JsonValueKind.String))
                {
                    return ApiBody.BadRequest("guards: must be an array of guard names.");
                }

                names = [.. guardsValue.EnumerateArray().Select(g => g.GetString()!)];
            }

            var request = default(JsonElement);
            if (root.TryGetProperty("request", out var requestValue))
            {
                if (content != GuardContent.Answer || requestValue.ValueKind != JsonValueKind.Object)
                {
                    return ApiBody.BadRequest("request: with content answer, the chat request the answer answers (an object), for leak, schema and groundedness guards.");
                }

                request = requestValue;
            }

            var direction = content == GuardContent.Answer ? GuardDirection.Output : GuardDirection.Input;
            if (checker.Resolve(names, direction, out var problem) is not { } guards)
            {
                return ApiBody.BadRequest(problem!);
            }

            var result = hasText
                ? await checker.CheckTextAsync(text.GetString()!, content, guards, http.RequestAborted, request).ConfigureAwait(false)
                : await checker.CheckMessagesAsync(root, guards, http.RequestAborted).ConfigureAwait(false);
            return Results.Bytes(Write(result, hasText, hasText ? default : root), ApiBody.JsonType);
        }
    }

    private static bool TryContent(string name, out GuardContent content)
    {
        content = name switch
        {
            "user" => GuardContent.User,
            "data" => GuardContent.Data,
            "instruction" => GuardContent.Instruction,
            "answer" => GuardContent.Answer,
            _ => (GuardContent)(-1),
        };
        return (int)content >= 0;
    }

    private static byte[] Write(GuardCheckResult result, bool text, JsonElement request)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("blocked", result.Blocked is not null);
            if (result.Blocked is { } blocked)
            {
                json.WriteString("blocked_by", blocked.Guard);
                json.WriteString("message", InputGuardrailStage.BlockedMessage(blocked));
            }

            json.WritePropertyName("verdicts");
            GuardrailJson.Write(json, result.Verdicts);
            if (text)
            {
                json.WriteString("text", result.Texts[0].Text);
            }
            else
            {
                json.WritePropertyName("messages");
                var rewritten = result.Changed.Count == 0
                    ? System.Text.Encoding.UTF8.GetBytes(request.GetRawText())
                    : RequestTexts.Rewrite(System.Text.Encoding.UTF8.GetBytes(request.GetRawText()), [.. result.Changed.Select(i => (result.Texts[i].Path, result.Texts[i].Text))]);
                using var document = JsonDocument.Parse(rewritten);
                document.RootElement.GetProperty("messages").WriteTo(json);
            }

            json.WriteBoolean("changed", result.Changed.Count > 0);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Describe(GuardrailCatalog catalog, Configuration.SwitchyardOptions options)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("guards");
            foreach (var guard in catalog.Guards)
            {
                json.WriteStartObject();
                json.WriteString("name", guard.Name);
                json.WriteString("type", guard.Type.ToString().ToLowerInvariant());
                json.WriteString("action", guard.Options.Action.ToString().ToLowerInvariant());
                json.WriteString("on_error", guard.Options.OnError.ToString().ToLowerInvariant());
                if (guard.IsExternal)
                {
                    json.WriteString("backend", guard.Type == Configuration.GuardType.Judge ? "judge" : guard.Options.Backend.ToString().ToLowerInvariant());
                    json.WriteString("model", guard.Options.Model);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            WriteLists(json, "default", catalog.Defaults(GuardDirection.Input), catalog.Defaults(GuardDirection.Output));
            json.WriteStartObject("model_groups");
            foreach (var group in options.ModelGroups.Keys.Order(StringComparer.Ordinal))
            {
                var (input, output) = catalog.For(group);
                WriteLists(json, group, input, output);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteLists(Utf8JsonWriter json, string name, Guard[] input, Guard[] output)
    {
        json.WriteStartObject(name);
        json.WriteStartArray("input");
        foreach (var guard in input)
        {
            json.WriteStringValue(guard.Name);
        }

        json.WriteEndArray();
        json.WriteStartArray("output");
        foreach (var guard in output)
        {
            json.WriteStringValue(guard.Name);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
