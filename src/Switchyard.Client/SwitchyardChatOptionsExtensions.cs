using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Switchyard.Client;

/// <summary>Per-call Switchyard options on <see cref="ChatOptions"/> and <see cref="EmbeddingGenerationOptions"/>, and the gateway's ids on results.</summary>
public static class SwitchyardChatOptionsExtensions
{
    /// <summary>
    /// Sets this call's <c>x-switchyard-*</c> options (stored in <see cref="ChatOptions.AdditionalProperties"/>
    /// under <see cref="SwitchyardProperties.Options"/>); calling it again edits the same options.
    /// </summary>
    /// <exception cref="ArgumentException">A value the gateway would refuse.</exception>
    public static ChatOptions WithSwitchyard(this ChatOptions options, Action<SwitchyardRequestOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdditionalProperties ??= [];
        Configure(options.AdditionalProperties, configure);
        return options;
    }

    /// <summary>
    /// Names a registry prompt for this call (<c>x-switchyard-prompt</c>) and the values of its variables
    /// (<c>x-switchyard-prompt-variables</c>): the gateway renders the prompt and uses its model.
    /// </summary>
    /// <param name="options">The call's options.</param>
    /// <param name="prompt">For example <c>SwitchyardPromptReference.AtLabel("support", "production")</c>, or <see cref="SwitchyardPrompt.Reference"/>.</param>
    /// <param name="variables">The variables' values; null sends none (the prompt's defaults apply).</param>
    /// <exception cref="ArgumentException">A value the gateway would refuse.</exception>
    public static ChatOptions WithSwitchyardPrompt(this ChatOptions options, SwitchyardPromptReference prompt, JsonObject? variables = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return options.WithSwitchyard(o =>
        {
            o.Prompt = prompt;
            o.PromptVariables = variables;
        });
    }

    /// <summary>Sets this call's <c>x-switchyard-*</c> options for an embedding request.</summary>
    /// <exception cref="ArgumentException">A value the gateway would refuse.</exception>
    public static EmbeddingGenerationOptions WithSwitchyard(this EmbeddingGenerationOptions options, Action<SwitchyardRequestOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AdditionalProperties ??= [];
        Configure(options.AdditionalProperties, configure);
        return options;
    }

    /// <summary>The gateway's trace id of the call that produced this response (null if the gateway sent none).</summary>
    public static string? GetSwitchyardTraceId(this ChatResponse response) => Read(response?.AdditionalProperties, SwitchyardProperties.TraceId);

    /// <summary>The gateway's trace id of the call this streamed update belongs to.</summary>
    public static string? GetSwitchyardTraceId(this ChatResponseUpdate update) => Read(update?.AdditionalProperties, SwitchyardProperties.TraceId);

    /// <summary>The gateway call's span id for this response.</summary>
    public static string? GetSwitchyardSpanId(this ChatResponse response) => Read(response?.AdditionalProperties, SwitchyardProperties.SpanId);

    /// <summary>The gateway's trace id of the embedding call.</summary>
    public static string? GetSwitchyardTraceId(this GeneratedEmbeddings<Embedding<float>> embeddings) => Read(embeddings?.AdditionalProperties, SwitchyardProperties.TraceId);

    internal static SwitchyardRequestOptions? GetSwitchyard(this ChatOptions? options) => Find(options?.AdditionalProperties);

    internal static SwitchyardRequestOptions? GetSwitchyard(this EmbeddingGenerationOptions? options) => Find(options?.AdditionalProperties);

    private static void Configure(AdditionalPropertiesDictionary properties, Action<SwitchyardRequestOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var switchyard = Find(properties) ?? new SwitchyardRequestOptions();
        configure(switchyard);
        switchyard.Validate();
        properties[SwitchyardProperties.Options] = switchyard;
    }

    private static SwitchyardRequestOptions? Find(AdditionalPropertiesDictionary? properties) =>
        properties is not null && properties.TryGetValue(SwitchyardProperties.Options, out var value) ? value as SwitchyardRequestOptions : null;

    private static string? Read(AdditionalPropertiesDictionary? properties, string key) =>
        properties is not null && properties.TryGetValue(key, out var value) ? value?.ToString() : null;
}
