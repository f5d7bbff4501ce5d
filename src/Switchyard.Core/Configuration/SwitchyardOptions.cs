namespace Switchyard.Configuration;

/// <summary>The whole configuration of one Switchyard process, after YAML, environment and defaults are merged.</summary>
internal sealed class SwitchyardOptions
{
    public ServerOptions Server { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public RecordingOptions Recording { get; set; } = new();

    public TracingOptions Tracing { get; set; } = new();

    public Telemetry.Out.TelemetryOptions Telemetry { get; set; } = new();

    public LimitOptions Limits { get; set; } = new();

    public KeyOptions Keys { get; set; } = new();
    public AlertOptions Alerts { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    public CacheOptions Cache { get; set; } = new();

    /// <summary>Operator prices from <c>prices_file</c>; they win over the shipped catalogue.</summary>
    public List<Accounting.Pricing.PriceEntry> Prices { get; set; } = [];

    /// <summary>Public model name → the deployments that serve it, in configuration order.</summary>
    public Dictionary<string, ModelGroupOptions> ModelGroups { get; set; } = new(StringComparer.Ordinal);

    /// <summary>True when no config file was given: serve sandbox plus providers found in the environment.</summary>
    public bool DiscoverProviders { get; set; }
}

internal sealed class ServerOptions
{
    public const string DefaultUrls = "http://127.0.0.1:4000";

    public string Urls { get; set; } = DefaultUrls;

    public string DataDirectory { get; set; } = "./data";

    /// <summary>Largest request body accepted on <c>/v1</c>; bigger bodies get 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted in a request body; deeper gets 400.</summary>
    public int MaxJsonDepth { get; set; } = 64;

    /// <summary>Most messages accepted in one request; more gets 400.</summary>
    public int MaxMessages { get; set; } = 4096;

    /// <summary>How long a graceful stop waits for in-flight requests.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long model discovery at start waits for a provider's <c>/models</c>.</summary>
    public TimeSpan DiscoveryTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

internal sealed class AuthOptions
{
    /// <summary>Shortest admin key accepted: a human-chosen key needs the length to resist guessing.</summary>
    public const int MinAdminKeyLength = 32;

    /// <summary>The admin key, resolved from its reference. Never logged or returned.</summary>
    public string? AdminKey { get; set; }

    /// <summary>Allow <c>/v1</c> without a key. Only honoured when every listener is loopback.</summary>
    public bool AllowAnonymousOnLoopback { get; set; } = true;

    /// <summary>A dashboard session ends after this long without a request.</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A dashboard session ends this long after sign-in, however active it is.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed authentications one client address may make per <see cref="FailedAuthWindow"/> before it gets 429; 0 turns throttling off.</summary>
    public int FailedAuthLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthLimit"/>: the allowance refills evenly over it.</summary>
    public TimeSpan FailedAuthWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Endpoints that answer without a key by default but should need one.</summary>
    public ProtectedEndpoints RequireKeyFor { get; set; }
}

/// <summary>The endpoints public by default that <c>auth.require_key_for</c> can close.</summary>
[Flags]
internal enum ProtectedEndpoints
{
    None = 0,

    /// <summary><c>GET /metrics</c> (Prometheus): then a key with the <c>read</c> scope.</summary>
    Metrics = 1,

    /// <summary><c>GET /v1/models</c> (and <c>/models</c>, <c>/v1/models/{id}</c>): then a key with the <c>inference</c> scope, even while <c>/v1</c> is open on loopback.</summary>
    Models = 2,

    /// <summary><c>GET /health/ready</c> (deployment names and states): then a key with the <c>read</c> scope. <c>/health/live</c> stays open.</summary>
    Ready = 4,
}

internal enum OverflowMode
{
    Wait,
    Drop,
}

internal sealed class RecordingOptions
{
    public bool Enabled { get; set; } = true;

    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>Spans ingested over OTLP waiting for their writer; about 10 s at 20,000 spans/s absorbs bursts.</summary>
    public int SpanQueueCapacity { get; set; } = 200_000;

    public int BatchSize { get; set; } = 1_000;

    public OverflowMode Overflow { get; set; } = OverflowMode.Drop;

    /// <summary>How long a full queue may hold a request in <see cref="OverflowMode.Wait"/> mode before the record is dropped.</summary>
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The writer commits at most one partial batch per interval, so small batches accumulate.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(50);
}

internal enum CaptureMode
{
    /// <summary>Request and response content stored with every call.</summary>
    Full,

    /// <summary>Content stored for a random <see cref="TracingOptions.SampleRate"/> of calls.</summary>
    Sample,

    /// <summary>No content: tokens, timings, ids and metadata only.</summary>
    Metadata,
}

/// <summary>What is kept of each call, and for how long.</summary>
internal sealed class TracingOptions
{
    public CaptureMode Capture { get; set; } = CaptureMode.Full;

    public double SampleRate { get; set; } = 0.1;

    /// <summary>Longest request or response content stored per call; the rest is cut with a marker.</summary>
    public int MaxContentBytes { get; set; } = 64 * 1024;

    /// <summary>Built-in pattern names (email, credit_card, api_key, phone, ipv4) or regular expressions, replaced before content is stored.</summary>
    public List<string> Redact { get; set; } = [];

    /// <summary>Calls, spans and scores older than this are deleted in the background.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class ModelGroupOptions
{
    public List<DeploymentOptions> Deployments { get; set; } = [];

    /// <summary>Limits on the whole model group, across every caller.</summary>
    public Limits.RateLimits Limits { get; set; } = Switchyard.Limits.RateLimits.None;

    /// <summary>Overrides <see cref="RoutingOptions.Strategy"/> for this group.</summary>
    public LoadBalancing? Strategy { get; set; }

    /// <summary>Overrides <see cref="RoutingOptions.MaxRetries"/> for this group.</summary>
    public int? MaxRetries { get; set; }

    /// <summary>Other model groups tried in order when this group's retries are exhausted.</summary>
    public List<string> Fallbacks { get; set; } = [];

    /// <summary>Groups tried when the upstream says the request is too long for the model's context window.</summary>
    public List<string> ContextWindowFallbacks { get; set; } = [];

    /// <summary>Groups tried when the upstream refuses the request under its content policy.</summary>
    public List<string> ContentPolicyFallbacks { get; set; } = [];

    public GroupCacheOptions Cache { get; set; } = new();
}

/// <summary>Gateway-wide limits and how calls are estimated and priced for limits and budgets.</summary>
internal sealed class LimitOptions
{
    /// <summary>Limits on all calls through this gateway together.</summary>
    public Limits.RateLimits Global { get; set; } = Switchyard.Limits.RateLimits.None;

    /// <summary>Output tokens assumed for a request that sets no <c>max_tokens</c>, when estimating tokens and cost before the call.</summary>
    public long EstimatedOutputTokens { get; set; } = 1024;

    /// <summary>The calendar budgets reset on (IANA name).</summary>
    public TimeZoneInfo BudgetTimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Price assumed for models the catalogue does not know; without it such calls are refused under a hard budget.</summary>
    public Accounting.Pricing.PriceEntry? FallbackPrice { get; set; }
}

internal sealed class KeyOptions
{
    /// <summary>How long the old secret keeps working after a rotation, unless the rotation says otherwise.</summary>
    public TimeSpan RotationGrace { get; set; } = TimeSpan.FromHours(24);
}

internal sealed class DeploymentOptions
{
    /// <summary>Unique name, shown in <c>x-switchyard-deployment</c> and on traces.</summary>
    public string Name { get; set; } = "";

    /// <summary>openai, azure, anthropic or sandbox.</summary>
    public string Provider { get; set; } = "";

    /// <summary>The model name sent upstream (for Azure: the deployment name).</summary>
    public string Model { get; set; } = "";

    public string? BaseUrl { get; set; }

    /// <summary>The resolved secret. Never logged or returned.</summary>
    public string? ApiKey { get; set; }

    public string? ApiVersion { get; set; }

    public int Weight { get; set; } = 1;

    /// <summary>Total time for one upstream call, request to last byte.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>Time to open a TCP (and TLS) connection to the upstream.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Streams: time from the request to the upstream's first body byte; null for none.</summary>
    public TimeSpan? FirstTokenTimeout { get; set; }

    /// <summary>Streams: longest silence between two chunks; null for none.</summary>
    public TimeSpan? IdleTimeout { get; set; }

    public Dictionary<string, string> Headers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Ask OpenAI-compatible upstreams for usage on streams (<c>stream_options.include_usage</c>).</summary>
    public bool StreamUsage { get; set; } = true;

    /// <summary>Anthropic only: <c>max_tokens</c> when an OpenAI-format request sets none.</summary>
    public int DefaultMaxTokens { get; set; } = 4096;

    public SandboxOptions Sandbox { get; set; } = new();
}

/// <summary>Knobs of the simulated <c>sandbox</c> model.</summary>
internal sealed class SandboxOptions
{
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.Zero;

    public TimeSpan InterTokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Fraction of calls answered with a 500.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Fraction of calls answered with a 429 and <c>Retry-After</c>.</summary>
    public double RateLimitRate { get; set; }

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fraction of calls that never answer (until the caller gives up).</summary>
    public double HangRate { get; set; }

    /// <summary>Fraction of streams cut after <see cref="CutAfterChunks"/> chunks.</summary>
    public double CutStreamRate { get; set; }

    public int CutAfterChunks { get; set; } = 3;

    /// <summary>Words in a generated answer when the request sets no <c>max_tokens</c>.</summary>
    public int DefaultAnswerTokens { get; set; } = 48;

    /// <summary>Seed mixed into every answer; the same request and seed give the same answer.</summary>
    public int Seed { get; set; }
}

/// <summary>Where spend alerts go, and how hard Switchyard tries to deliver them.</summary>
internal sealed class AlertOptions
{
    public List<WebhookOptions> Webhooks { get; set; } = [];

    /// <summary>
    /// Allow webhooks on loopback, private (RFC 1918, CGNAT, ULA) and link-local addresses. Cloud
    /// metadata, unspecified, multicast and reserved addresses stay refused either way.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }

    /// <summary>POSTs per alert and webhook, the first included; retried on 5xx, 429, 408, timeouts and network errors.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>One webhook POST, connect to response headers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Wait before the first retry; doubled for each later one, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fired alerts waiting for the delivery worker; when full, an alert is not marked fired and fires on a later call.</summary>
    public int QueueCapacity { get; set; } = 10_000;
}

internal enum WebhookFormat
{
    /// <summary>The documented Switchyard event body (docs/configuration.md).</summary>
    Json,

    /// <summary><c>{"text": "..."}</c>, for Slack incoming webhooks and compatible receivers.</summary>
    Slack,
}

internal sealed class WebhookOptions
{
    /// <summary>The target, validated by <c>WebhookUrlPolicy</c>. May hold a secret (Slack): never logged whole.</summary>
    public required Uri Url { get; init; }

    public WebhookFormat Format { get; init; } = WebhookFormat.Json;

    /// <summary>Extra request headers, resolved from <c>env:NAME</c> references. Never logged.</summary>
    public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
