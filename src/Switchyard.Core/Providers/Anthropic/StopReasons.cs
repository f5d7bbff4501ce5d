namespace Switchyard.Providers.Anthropic;

/// <summary>Maps Anthropic <c>stop_reason</c> and OpenAI <c>finish_reason</c> onto each other.</summary>
internal static class StopReasons
{
    public static string ToOpenAI(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => "length",
        "tool_use" => "tool_calls",
        "refusal" => "content_filter",

        // end_turn, stop_sequence and pause_turn all mean the model stopped on its own terms.
        _ => "stop",
    };

    public static string ToAnthropic(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        "content_filter" => "refusal",
        _ => "end_turn",
    };
}
