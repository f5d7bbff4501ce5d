using System.Text.Json.Nodes;

namespace Switchyard.Client;

/// <summary>One version of a prompt from the gateway's registry (<see cref="SwitchyardClient.GetPromptAsync"/>).</summary>
public sealed class SwitchyardPrompt
{
    private SwitchyardPrompt(string name, int version, SwitchyardPromptType type)
    {
        Name = name;
        Version = version;
        Type = type;
    }

    /// <summary>The prompt's name.</summary>
    public string Name { get; }

    /// <summary>The version number (from 1).</summary>
    public int Version { get; }

    /// <summary>Text or chat.</summary>
    public SwitchyardPromptType Type { get; }

    /// <summary>A text prompt's template; null for a chat prompt.</summary>
    public string? Template { get; private init; }

    /// <summary>A chat prompt's messages; empty for a text prompt.</summary>
    public IReadOnlyList<SwitchyardPromptMessage> Messages { get; private init; } = [];

    /// <summary>The variables the prompt declares.</summary>
    public IReadOnlyList<SwitchyardPromptVariable> Variables { get; private init; } = [];

    /// <summary>The model group the version was written for, if any.</summary>
    public string? Model { get; private init; }

    /// <summary>A model snapshot the version pins, if any.</summary>
    public string? PinnedModel { get; private init; }

    /// <summary>Request parameters (temperature, max_tokens...), if any.</summary>
    public JsonObject? Parameters { get; private init; }

    /// <summary>Tools, if any.</summary>
    public JsonArray? Tools { get; private init; }

    /// <summary>The response format, if any.</summary>
    public JsonObject? ResponseFormat { get; private init; }

    /// <summary>The labels pointing at this version (with <c>latest</c> when it is the newest).</summary>
    public IReadOnlyList<string> Labels { get; private init; } = [];

    /// <summary>The commit message of the version.</summary>
    public string? Message { get; private init; }

    /// <summary>
    /// True when the gateway could not be reached and this is the copy it sent before; the prompt may have
    /// changed since.
    /// </summary>
    public bool IsStale { get; private init; }

    /// <summary>A reference to this exact version for a call (<c>NAME@VERSION</c>).</summary>
    public SwitchyardPromptReference Reference => SwitchyardPromptReference.AtVersion(Name, Version);

    /// <summary>Reads the gateway's <c>prompt_version</c> JSON.</summary>
    internal static SwitchyardPrompt Parse(string json, bool stale)
    {
        var root = JsonNode.Parse(json)!.AsObject();
        var type = root["type"]!.GetValue<string>() == "chat" ? SwitchyardPromptType.Chat : SwitchyardPromptType.Text;
        return new SwitchyardPrompt(root["name"]!.GetValue<string>(), root["version"]!.GetValue<int>(), type)
        {
            Template = type == SwitchyardPromptType.Text ? root["prompt"]!.GetValue<string>() : null,
            Messages = type == SwitchyardPromptType.Chat
                ? [.. root["prompt"]!.AsArray().Select(m => m!.AsObject()).Select(m => new SwitchyardPromptMessage(
                    m["role"]!.GetValue<string>(),
                    m["content"] is JsonValue content && content.TryGetValue<string>(out var text) ? text : null,
                    m))]
                : [],
            Variables = [.. (root["variables"]?.AsArray() ?? []).Select(v => new SwitchyardPromptVariable(
                v!["name"]!.GetValue<string>(),
                v["type"]!.GetValue<string>(),
                v["default"]?.DeepClone()))],
            Model = root["model"]?.GetValue<string>(),
            PinnedModel = root["pinned_model"]?.GetValue<string>(),
            Parameters = root["parameters"] as JsonObject,
            Tools = root["tools"] as JsonArray,
            ResponseFormat = root["response_format"] as JsonObject,
            Labels = [.. (root["labels"]?.AsArray() ?? []).Select(l => l!.GetValue<string>())],
            Message = root["message"]?.GetValue<string>(),
            IsStale = stale,
        };
    }
}
