namespace Switchyard.Gateway;

/// <summary>The named places in the request path where a stage can be put (see <see cref="PlacedStage"/>).</summary>
internal enum PipelinePlace
{
    /// <summary>After ingress, before admission: it decides the model group and the token estimate admission checks.</summary>
    PromptResolution,

    /// <summary>After admission, before the cache: a redacted prompt is what is cached and sent, and a blocked call costs nothing.</summary>
    InputGuardrails,

    /// <summary>
    /// After the input guardrails, before the cache: a stage here adds its response component, which
    /// then sees every answer the call gives (cached replays, streams and errors included).
    /// </summary>
    OutputGuardrails,
}
