using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Gateway;
using Switchyard.Responses;

namespace Switchyard.Caching;

/// <summary>
/// Sends a cached answer as the client asked for it: the stored JSON body as it was, or, for a
/// streaming chat request, a well-formed SSE stream built from it (role, content, tool calls, finish,
/// usage when <c>stream_options.include_usage</c> asked for it, then <c>[DONE]</c>).
/// </summary>
internal static class CachedReplay
{
    public static async Task WriteAsync(CallContext call, CacheEntry entry)
    {
        // The response components see the cached answer whole, once, whether it is sent as it is or as a stream.
        var answer = await call.Response.FilterAsync(new PlainAnswer(200, entry.Body, AnswerOrigin.Cache)).ConfigureAwait(false);
        if (!call.Request.Stream || answer.Status != 200)
        {
            await call.Response.WriteAsync(answer).ConfigureAwait(false);
            return;
        }

        var response = call.Http.Response;
        response.StatusCode = 200;
        call.Status = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        var output = new ArrayBufferWriter<byte>(answer.Body.Length * 2 + 512);
        WriteChatStream(answer.Body.Span, call.Request.IncludeUsage == true, output);
        await response.Body.WriteAsync(output.WrittenMemory, call.Aborted).ConfigureAwait(false);
    }

    /// <summary>Whether a streaming request of this API can be answered from a stored JSON body.</summary>
    public static bool CanStream(ClientApi api) => api == ClientApi.ChatCompletions;

    internal static void WriteChatStream(ReadOnlySpan<byte> completionJson, bool includeUsage, IBufferWriter<byte> output)
    {
        var completion = JsonNode.Parse(completionJson)!.AsObject();
        var id = completion["id"]?.GetValue<string>() ?? "chatcmpl-cached";
        var created = completion["created"] is JsonValue c && c.TryGetValue<long>(out var seconds) ? seconds : 0;
        var model = completion["model"]?.GetValue<string>();
        var fingerprint = completion["system_fingerprint"] is JsonValue f && f.TryGetValue<string>(out var fp) ? fp : null;

        void Chunk(Action<Utf8JsonWriter> choices, JsonNode? usage = null, bool withUsage = false)
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("object", "chat.completion.chunk");
                json.WriteNumber("created", created);
                json.WriteString("model", model);
                if (fingerprint is not null)
                {
                    json.WriteString("system_fingerprint", fingerprint);
                }

                json.WriteStartArray("choices");
                choices(json);
                json.WriteEndArray();
                if (withUsage)
                {
                    json.WritePropertyName("usage");
                    if (usage is null)
                    {
                        json.WriteNullValue();
                    }
                    else
                    {
                        usage.WriteTo(json);
                    }
                }

                json.WriteEndObject();
            }

            output.Write("data: "u8);
            output.Write(buffer.WrittenSpan);
            output.Write("\n\n"u8);
        }

        foreach (var node in completion["choices"]?.AsArray() ?? [])
        {
            if (node is not JsonObject choice)
            {
                continue;
            }

            var index = choice["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
            var message = choice["message"] as JsonObject;
            Chunk(json =>
            {
                json.WriteStartObject();
                json.WriteNumber("index", index);
                json.WriteStartObject("delta");
                json.WriteString("role", "assistant");
                json.WriteString("content", "");
                json.WriteEndObject();
                json.WriteNull("finish_reason");
                json.WriteEndObject();
            });
            if (message?["content"] is JsonValue content && content.TryGetValue<string>(out var text) && text.Length > 0)
            {
                Chunk(json => Delta(json, index, d => d.WriteString("content", text)));
            }

            if (message?["refusal"] is JsonValue refusal && refusal.TryGetValue<string>(out var refused) && refused.Length > 0)
            {
                Chunk(json => Delta(json, index, d => d.WriteString("refusal", refused)));
            }

            if (message?["tool_calls"] is JsonArray calls && calls.Count > 0)
            {
                Chunk(json => Delta(json, index, d =>
                {
                    d.WriteStartArray("tool_calls");
                    var k = 0;
                    foreach (var call in calls)
                    {
                        d.WriteStartObject();
                        d.WriteNumber("index", k++);
                        foreach (var (name, value) in call!.AsObject())
                        {
                            d.WritePropertyName(name);
                            if (value is null)
                            {
                                d.WriteNullValue();
                            }
                            else
                            {
                                value.WriteTo(d);
                            }
                        }

                        d.WriteEndObject();
                    }

                    d.WriteEndArray();
                }));
            }

            var finish = choice["finish_reason"] is JsonValue fr && fr.TryGetValue<string>(out var reason) ? reason : "stop";
            Chunk(json =>
            {
                json.WriteStartObject();
                json.WriteNumber("index", index);
                json.WriteStartObject("delta");
                json.WriteEndObject();
                json.WriteString("finish_reason", finish);
                json.WriteEndObject();
            });
        }

        if (includeUsage)
        {
            Chunk(_ => { }, completion["usage"], withUsage: true);
        }

        output.Write("data: [DONE]\n\n"u8);
    }

    private static void Delta(Utf8JsonWriter json, int index, Action<Utf8JsonWriter> delta)
    {
        json.WriteStartObject();
        json.WriteNumber("index", index);
        json.WriteStartObject("delta");
        delta(json);
        json.WriteEndObject();
        json.WriteNull("finish_reason");
        json.WriteEndObject();
    }
}
