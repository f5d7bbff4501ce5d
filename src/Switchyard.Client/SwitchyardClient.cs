using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Switchyard.Client;

/// <summary>
/// A Switchyard gateway as Microsoft.Extensions.AI chat clients and embedding generators (built on the OpenAI
/// SDK, with the <c>x-switchyard-*</c> headers and W3C trace context added to every request), plus the
/// gateway's feedback and score API. Thread-safe; make one and share it.
/// </summary>
public sealed class SwitchyardClient
{
    private const string FeedbackPath = "api/feedback";
    private const string ScoresPath = "api/scores";
    private const string ScoreSource = "sdk";
    private const int MaxScoreNameLength = 200;
    private const int MaxCommentLength = 4000;

    // One pooled client for everyone who brings none; connections are recycled so DNS changes are seen.
    private static readonly HttpClient s_sharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    private static readonly TimeSpan s_defaultNetworkTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;
    private readonly string? _apiKey;
    private readonly TimeSpan _networkTimeout;

    // Per path (NAME@LABEL and NAME@VERSION apart): the ETag and the body, parsed again on every read so a
    // caller that edits a returned prompt's JSON cannot change the next caller's copy.
    private readonly ConcurrentDictionary<string, (string ETag, string Json)> _prompts = new(StringComparer.Ordinal);

    /// <summary>Connects to the gateway the options name (or <c>SWITCHYARD_URL</c>, or http://127.0.0.1:4000).</summary>
    /// <exception cref="ArgumentException">The endpoint is not an absolute http(s) address, or a default option is invalid.</exception>
    public SwitchyardClient(SwitchyardClientOptions? options = null)
    {
        options ??= new SwitchyardClientOptions();
        Endpoint = BaseAddress(options.Endpoint ?? FromEnvironment());
        _apiKey = options.ApiKey ?? NonEmpty(Environment.GetEnvironmentVariable(SwitchyardClientOptions.ApiKeyVariable));
        Defaults = options.Defaults ?? new SwitchyardRequestOptions();
        Defaults.Validate();
        _http = options.HttpClient ?? s_sharedHttp;
        _networkTimeout = options.NetworkTimeout ?? s_defaultNetworkTimeout;

        var sdkOptions = new OpenAIClientOptions
        {
            Endpoint = new Uri(Endpoint, "v1"),
            Transport = new HttpClientPipelineTransport(_http),
            NetworkTimeout = _networkTimeout,
            UserAgentApplicationId = "switchyard-dotnet",
        };
        sdkOptions.AddPolicy(new SwitchyardHeaderPolicy(Defaults), PipelinePosition.PerCall);
        // Without a key nothing must be sent: a gateway that checks keys answers a made-up one with 401 and
        // counts it as a failed sign-in. The policy constructor is marked for evaluation; it is the SDK's
        // only way to send no credential.
#pragma warning disable OPENAI001
        OpenAI = _apiKey is null
            ? new OpenAIClient(new AnonymousAuthenticationPolicy(), sdkOptions)
            : new OpenAIClient(new ApiKeyCredential(_apiKey), sdkOptions);
#pragma warning restore OPENAI001
    }

    /// <summary>The gateway's base address, ending in a slash.</summary>
    public Uri Endpoint { get; }

    /// <summary>The options sent on every call (validated when the client was made).</summary>
    public SwitchyardRequestOptions Defaults { get; }

    /// <summary>
    /// The OpenAI SDK client underneath, for what Microsoft.Extensions.AI does not cover; its requests get the
    /// default <c>x-switchyard-*</c> headers and the trace context too.
    /// </summary>
    public OpenAIClient OpenAI { get; }

    /// <summary>A chat client for a model group of the gateway (for example <c>sandbox</c>).</summary>
    public IChatClient GetChatClient(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return new SwitchyardChatClient(OpenAI.GetChatClient(model).AsIChatClient());
    }

    /// <summary>An embedding generator for a model group of the gateway; <paramref name="dimensions"/> asks for shorter vectors.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> GetEmbeddingGenerator(string model, int? dimensions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        return new SwitchyardEmbeddingGenerator(OpenAI.GetEmbeddingClient(model).AsIEmbeddingGenerator(dimensions));
    }

    /// <summary>Records an end user's 👍 (<paramref name="thumbsUp"/> true) or 👎 on a call (<c>POST /api/feedback</c>).</summary>
    /// <param name="traceId">The call's <see cref="SwitchyardProperties.TraceId"/>.</param>
    /// <param name="thumbsUp">True for 👍 (stored as 1), false for 👎 (stored as -1).</param>
    /// <param name="comment">What the user said, at most 4000 characters.</param>
    /// <param name="user">Who gave the feedback.</param>
    /// <param name="spanId">A span of the trace to attach it to, rather than the trace.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The id of the stored feedback.</returns>
    /// <exception cref="ArgumentException">An id or comment the gateway would refuse.</exception>
    /// <exception cref="HttpRequestException">The gateway refused it (the message is the gateway's).</exception>
    public Task<long> SendFeedbackAsync(string traceId, bool thumbsUp, string? comment = null, string? user = null, string? spanId = null, CancellationToken cancellationToken = default) =>
        SendFeedbackAsync(traceId, thumbsUp ? 1 : -1, comment, user, spanId, cancellationToken);

    /// <summary>Records an end user's numeric feedback on a call (<c>POST /api/feedback</c>), for example a rating.</summary>
    /// <inheritdoc cref="SendFeedbackAsync(string, bool, string?, string?, string?, CancellationToken)"/>
    public Task<long> SendFeedbackAsync(string traceId, double value, string? comment = null, string? user = null, string? spanId = null, CancellationToken cancellationToken = default)
    {
        var body = Body(traceId, spanId, comment, user);
        body["value"] = Finite(value);
        return PostAsync(FeedbackPath, body, cancellationToken);
    }

    /// <summary>Records a numeric score on a call or span (<c>POST /api/scores</c>, source <c>sdk</c>); needs the <c>ingest</c> scope.</summary>
    /// <param name="traceId">The call's <see cref="SwitchyardProperties.TraceId"/>.</param>
    /// <param name="name">The score's name, 1 to 200 characters (for example <c>accuracy</c>).</param>
    /// <param name="value">A finite number.</param>
    /// <param name="comment">Why, at most 4000 characters.</param>
    /// <param name="spanId">A span of the trace to attach it to.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The id of the stored score.</returns>
    /// <exception cref="ArgumentException">A name, id or value the gateway would refuse.</exception>
    /// <exception cref="HttpRequestException">The gateway refused it (the message is the gateway's).</exception>
    public Task<long> SendScoreAsync(string traceId, string name, double value, string? comment = null, string? spanId = null, CancellationToken cancellationToken = default) =>
        SendScoreAsync(traceId, name, Finite(value), "numeric", comment, spanId, cancellationToken);

    /// <summary>Records a boolean score (pass/fail) on a call or span.</summary>
    /// <inheritdoc cref="SendScoreAsync(string, string, double, string?, string?, CancellationToken)"/>
    public Task<long> SendScoreAsync(string traceId, string name, bool value, string? comment = null, string? spanId = null, CancellationToken cancellationToken = default) =>
        SendScoreAsync(traceId, name, JsonValue.Create(value), "boolean", comment, spanId, cancellationToken);

    /// <summary>Records a categorical score (a label such as <c>on-topic</c>) on a call or span.</summary>
    /// <inheritdoc cref="SendScoreAsync(string, string, double, string?, string?, CancellationToken)"/>
    public Task<long> SendScoreAsync(string traceId, string name, string value, string? comment = null, string? spanId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        return SendScoreAsync(traceId, name, JsonValue.Create(value), "categorical", comment, spanId, cancellationToken);
    }

    /// <summary>
    /// A prompt from the gateway's registry (<c>GET /api/prompts/{name}/labels/{label}</c> or
    /// <c>/versions/{n}</c>); needs a key with the <c>read</c> scope. Each call asks the gateway, but a copy
    /// fetched before is revalidated with its ETag (an unchanged prompt comes back as a bodiless 304), and
    /// when the gateway cannot be reached that copy is returned with <see cref="SwitchyardPrompt.IsStale"/> set.
    /// </summary>
    /// <param name="name">The prompt's name.</param>
    /// <param name="label">A label (production, staging, latest...); with neither label nor version, <c>production</c>.</param>
    /// <param name="version">An exact version, instead of a label.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="ArgumentException">Both a label and a version, or a name or label the gateway would refuse.</exception>
    /// <exception cref="HttpRequestException">The gateway refused (for example 404: no such prompt or label), or could not be reached and nothing was cached.</exception>
    /// <exception cref="TimeoutException">The gateway did not answer within the network timeout and nothing was cached.</exception>
    public async Task<SwitchyardPrompt> GetPromptAsync(string name, string? label = null, int? version = null, CancellationToken cancellationToken = default)
    {
        if (label is not null && version is not null)
        {
            throw new ArgumentException("Ask for a prompt by label or by version, not both.", nameof(version));
        }

        var reference = version is { } number ? SwitchyardPromptReference.AtVersion(name, number) : SwitchyardPromptReference.AtLabel(name, label ?? "production");
        var path = reference.Version is { } v
            ? $"api/prompts/{Uri.EscapeDataString(reference.Name)}/versions/{v.ToString(CultureInfo.InvariantCulture)}"
            : $"api/prompts/{Uri.EscapeDataString(reference.Name)}/labels/{Uri.EscapeDataString(reference.Label!)}";
        _prompts.TryGetValue(path, out var cached);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, path));
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        if (cached.ETag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_networkTimeout);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException) when (cached.Json is not null)
        {
            return SwitchyardPrompt.Parse(cached.Json, stale: true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return cached.Json is not null
                ? SwitchyardPrompt.Parse(cached.Json, stale: true)
                : throw new TimeoutException($"Switchyard did not answer GET /{path} within {_networkTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.");
        }

        using (response)
        {
            if (response.StatusCode == System.Net.HttpStatusCode.NotModified && cached.Json is not null)
            {
                return SwitchyardPrompt.Parse(cached.Json, stale: false);
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"Switchyard refused GET /{path}: {(int)response.StatusCode} {ErrorMessage(text)}", null, response.StatusCode);
            }

            var prompt = SwitchyardPrompt.Parse(text, stale: false);
            if (response.Headers.ETag is { IsWeak: false } etag)
            {
                _prompts[path] = (etag.Tag, text);
            }

            return prompt;
        }
    }

    private Task<long> SendScoreAsync(string traceId, string name, JsonNode value, string dataType, string? comment, string? spanId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxScoreNameLength)
        {
            throw new ArgumentException($"A score name is 1 to {MaxScoreNameLength} characters.", nameof(name));
        }

        var body = Body(traceId, spanId, comment, user: null);
        body["name"] = name;
        body["value"] = value;
        body["data_type"] = dataType;
        body["source"] = ScoreSource;
        return PostAsync(ScoresPath, body, cancellationToken);
    }

    private static JsonObject Body(string traceId, string? spanId, string? comment, string? user)
    {
        if (!IsHex(traceId, 32))
        {
            throw new ArgumentException($"A trace id is 32 hexadecimal characters (the {SwitchyardProperties.TraceId} of a response), got '{traceId}'.", nameof(traceId));
        }

        if (spanId is not null && !IsHex(spanId, 16))
        {
            throw new ArgumentException($"A span id is 16 hexadecimal characters, got '{spanId}'.", nameof(spanId));
        }

        if (comment is { Length: > MaxCommentLength })
        {
            throw new ArgumentException($"A comment is at most {MaxCommentLength} characters, got {comment.Length}.", nameof(comment));
        }

        var body = new JsonObject { ["trace_id"] = traceId.ToLowerInvariant() };
        if (spanId is not null)
        {
            body["span_id"] = spanId.ToLowerInvariant();
        }

        if (comment is not null)
        {
            body["comment"] = comment;
        }

        if (user is not null)
        {
            body["user"] = user;
        }

        return body;
    }

    private async Task<long> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Endpoint, path))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (_apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_networkTimeout);
        using var response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Switchyard refused POST /{path}: {(int)response.StatusCode} {ErrorMessage(text)}", null, response.StatusCode);
        }

        using var created = JsonDocument.Parse(text);
        return created.RootElement.GetProperty("id").GetInt64();
    }

    private static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message))
            {
                return message.ToString();
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 500 ? body[..500] : body;
    }

    private static JsonNode Finite(double value, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(value))] string? name = null) =>
        double.IsFinite(value) ? JsonValue.Create(value) : throw new ArgumentException($"The value must be a finite number, got {value.ToString(CultureInfo.InvariantCulture)}.", name);

    private static bool IsHex(string? value, int length) => value is not null && value.Length == length && value.All(char.IsAsciiHexDigit);

    private static Uri FromEnvironment() =>
        NonEmpty(Environment.GetEnvironmentVariable(SwitchyardClientOptions.UrlVariable)) is { } url
            ? Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new ArgumentException($"{SwitchyardClientOptions.UrlVariable} is not an absolute URL: '{url}'.")
            : SwitchyardClientOptions.DefaultEndpoint;

    // The SDK's endpoint and the API paths are resolved against the base; it must end in '/' for that, and
    // an endpoint given with /v1 (as for OpenAI SDKs) is accepted.
    private static Uri BaseAddress(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The Switchyard endpoint must be an absolute http or https address, got '{endpoint}'.", nameof(endpoint));
        }

        var path = endpoint.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/v1", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^3];
        }

        return new UriBuilder(endpoint) { Path = path + "/", Query = "", Fragment = "" }.Uri;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
