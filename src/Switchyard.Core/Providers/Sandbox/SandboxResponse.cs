using System.Text.Json;

namespace Switchyard.Providers.Sandbox;

/// <summary>A simulated Responses API answer, written whole or as the snapshots its stream events carry.</summary>
internal sealed class SandboxResponse
{
    public required string Id { get; init; }

    /// <summary>The id of the one output item: the assistant message, or the function call.</summary>
    public required string ItemId { get; init; }

    public required long CreatedAt { get; init; }

    public required string Model { get; init; }

    public string? Instructions { get; init; }

    public int? MaxOutputTokens { get; init; }

    /// <summary>The request's metadata, echoed as OpenAI does; raw JSON.</summary>
    public string? Metadata { get; init; }

    public required string FormatType { get; init; }

    /// <summary>The message's text or, for a function call, its arguments (JSON).</summary>
    public required string Text { get; init; }

    /// <summary>The function the answer calls; null when it answers with a message.</summary>
    public string? ToolName { get; init; }

    /// <summary>The function call's <c>call_id</c>, which its <c>function_call_output</c> refers to.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>The request's <c>tools</c> and <c>tool_choice</c>, echoed as OpenAI does; raw JSON.</summary>
    public string? Tools { get; init; }

    public string? ToolChoice { get; init; }

    public bool IsToolCall => ToolName is not null;

    /// <summary>Cut by <c>max_output_tokens</c>.</summary>
    public required bool Incomplete { get; init; }

    public required int InputTokens { get; init; }

    public required int OutputTokens { get; init; }

    private string FinalStatus => Incomplete ? "incomplete" : "completed";

    /// <summary>The response object; not <paramref name="final"/> is the in-progress snapshot with no output or usage.</summary>
    public void Write(Utf8JsonWriter w, bool final)
    {
        w.WriteStartObject();
        w.WriteString("id", Id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", CreatedAt);
        w.WriteString("status", final ? FinalStatus : "in_progress");
        w.WriteNull("error");
        if (final && Incomplete)
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", "max_output_tokens");
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("incomplete_details");
        }

        if (Instructions is null)
        {
            w.WriteNull("instructions");
        }
        else
        {
            w.WriteString("instructions", Instructions);
        }

        if (MaxOutputTokens is { } max)
        {
            w.WriteNumber("max_output_tokens", max);
        }
        else
        {
            w.WriteNull("max_output_tokens");
        }

        w.WriteString("model", Model);
        w.WriteStartArray("output");
        if (final)
        {
            WriteItem(w, final: true);
        }

        w.WriteEndArray();
        w.WriteBoolean("parallel_tool_calls", true);
        w.WriteNull("previous_response_id");
        w.WriteStartObject("reasoning");
        w.WriteNull("effort");
        w.WriteNull("summary");
        w.WriteEndObject();
        w.WriteString("service_tier", "default");
        w.WriteBoolean("store", false);
        w.WriteNumber("temperature", 1.0);
        w.WriteStartObject("text");
        w.WriteStartObject("format");
        w.WriteString("type", FormatType);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WritePropertyName("tool_choice");
        w.WriteRawValue(ToolChoice ?? "\"auto\"", skipInputValidation: true);
        w.WritePropertyName("tools");
        w.WriteRawValue(Tools ?? "[]", skipInputValidation: true);
        w.WriteNumber("top_p", 1.0);
        w.WriteString("truncation", "disabled");
        if (final)
        {
            w.WriteStartObject("usage");
            w.WriteNumber("input_tokens", InputTokens);
            w.WriteStartObject("input_tokens_details");
            w.WriteNumber("cached_tokens", 0);
            w.WriteEndObject();
            w.WriteNumber("output_tokens", OutputTokens);
            w.WriteStartObject("output_tokens_details");
            w.WriteNumber("reasoning_tokens", 0);
            w.WriteEndObject();
            w.WriteNumber("total_tokens", InputTokens + OutputTokens);
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("usage");
        }

        w.WriteNull("user");
        w.WritePropertyName("metadata");
        if (Metadata is null)
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
        else
        {
            w.WriteRawValue(Metadata, skipInputValidation: true);
        }

        w.WriteEndObject();
    }

    /// <summary>The output item: a function call when the answer calls one, else the assistant message.</summary>
    public void WriteItem(Utf8JsonWriter w, bool final)
    {
        if (IsToolCall)
        {
            WriteFunctionCall(w, final);
        }
        else
        {
            WriteMessage(w, final);
        }
    }

    /// <summary>The <c>function_call</c> output item; its arguments are empty until <paramref name="final"/>.</summary>
    private void WriteFunctionCall(Utf8JsonWriter w, bool final)
    {
        w.WriteStartObject();
        w.WriteString("id", ItemId);
        w.WriteString("type", "function_call");
        w.WriteString("status", final ? FinalStatus : "in_progress");
        w.WriteString("arguments", final ? Text : "");
        w.WriteString("call_id", ToolCallId);
        w.WriteString("name", ToolName);
        w.WriteEndObject();
    }

    /// <summary>The assistant message output item.</summary>
    private void WriteMessage(Utf8JsonWriter w, bool final)
    {
        w.WriteStartObject();
        w.WriteString("id", ItemId);
        w.WriteString("type", "message");
        w.WriteString("status", final ? FinalStatus : "in_progress");
        w.WriteString("role", "assistant");
        w.WriteStartArray("content");
        if (final)
        {
            WritePart(w, Text);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WritePart(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "output_text");
        w.WriteString("text", text);
        w.WriteStartArray("annotations");
        w.WriteEndArray();
        w.WriteStartArray("logprobs");
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
