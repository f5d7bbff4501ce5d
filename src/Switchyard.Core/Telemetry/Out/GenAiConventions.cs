using Switchyard.Gateway;

namespace Switchyard.Telemetry.Out;

/// <summary>
/// Names and bucket boundaries from the OpenTelemetry GenAI semantic conventions
/// (https://opentelemetry.io/docs/specs/semconv/gen-ai/), kept in one place so spans and metrics agree.
/// </summary>
internal static class GenAiConventions
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string TokenType = "gen_ai.token.type";
    public const string ErrorType = "error.type";
    public const string ServerAddress = "server.address";
    public const string StatusCode = "http.response.status_code";

    /// <summary>The spec's advice for <c>gen_ai.client.token.usage</c>.</summary>
    public static readonly IReadOnlyList<long> TokenBuckets =
        [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    /// <summary>The spec's advice for <c>gen_ai.client.operation.duration</c>, in seconds.</summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    /// <summary>The spec's advice for time-to-first-token/chunk histograms, in seconds.</summary>
    public static readonly IReadOnlyList<double> FirstChunkBuckets =
        [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];

    /// <summary>
    /// Chat Completions and Messages are both "chat"; the spec has no value for OpenAI's Responses API,
    /// so it gets "generate_content", the spec's generic content-generation operation.
    /// </summary>
    public static string Operation(ClientApi api) => api switch
    {
        ClientApi.ChatCompletions or ClientApi.Messages => "chat",
        ClientApi.Embeddings => "embeddings",
        ClientApi.Responses => "generate_content",
        _ => "count_tokens",
    };

    /// <summary>The spec's well-known provider names; the simulated model is marked as Switchyard's own.</summary>
    public static string? Provider(string? provider) => provider switch
    {
        null => null,
        "openai" => "openai",
        "azure" => "azure.ai.openai",
        "anthropic" => "anthropic",
        "sandbox" => "switchyard.sandbox",
        _ => provider,
    };
}
