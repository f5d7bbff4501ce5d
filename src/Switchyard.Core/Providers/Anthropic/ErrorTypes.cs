namespace Switchyard.Providers.Anthropic;

/// <summary>Error <c>type</c> strings of both APIs, chosen from an HTTP status or from each other.</summary>
internal static class ErrorTypes
{
    public static string AnthropicForStatus(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    public static string OpenAIForStatus(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>For error events inside a stream, which carry a type but no status.</summary>
    public static string AnthropicToOpenAI(string? anthropicType) => anthropicType switch
    {
        "invalid_request_error" or "request_too_large" => "invalid_request_error",
        "authentication_error" => "authentication_error",
        "permission_error" => "permission_error",
        "not_found_error" => "not_found_error",
        "rate_limit_error" => "rate_limit_error",
        _ => "server_error",
    };

    /// <summary>For error payloads inside an OpenAI stream; OpenAI-compatible servers vary in the types they use.</summary>
    public static string OpenAIToAnthropic(string? openAiType, string? code) => (openAiType, code) switch
    {
        (_, "rate_limit_exceeded") or ("rate_limit_error" or "requests" or "tokens", _) => "rate_limit_error",
        ("invalid_request_error", _) => "invalid_request_error",
        ("authentication_error", _) => "authentication_error",
        ("permission_error", _) => "permission_error",
        ("not_found_error", _) => "not_found_error",
        _ => "api_error",
    };
}
