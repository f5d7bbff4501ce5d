using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>
/// Reads <c>switchyard.yaml</c>, lets environment variables (<c>SWITCHYARD_SECTION__KEY</c>) override any
/// key, resolves <c>env:NAME</c> secret references and validates the result. Every problem is
/// reported with the key that has it; nothing secret is ever put in a message.
/// </summary>
internal sealed class ConfigLoader
{
    public const string EnvironmentPrefix = "SWITCHYARD_";

    private static readonly string[] s_providers = ["openai", "azure", "anthropic", "sandbox"];
    private static readonly string[] s_topLevel = ["server", "auth", "recording", "tracing", "telemetry", "alerts", "prices_file", "limits", "keys", "routing", "cache", "model_groups"];

    private readonly List<string> _errors = [];
    private readonly Func<string, string?> _environment;

    public ConfigLoader(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Loads a file (or nothing), applies environment overrides, validates. Throws <see cref="ConfigurationException"/>.</summary>
    public SwitchyardOptions Load(string? path, IEnumerable<KeyValuePair<string, string?>>? environmentVariables = null)
    {
        var fileValues = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new ConfigurationException([$"--config: the file '{path}' does not exist."]);
            }

            fileValues = YamlFlattener.Flatten(File.ReadAllText(path), path);
            foreach (var key in fileValues.Keys)
            {
                var top = key.Split(':')[0];
                if (!s_topLevel.Contains(top, StringComparer.OrdinalIgnoreCase))
                {
                    _errors.Add($"{top}: unknown key (expected one of {string.Join(", ", s_topLevel)}).");
                    break;
                }
            }
        }

        var builder = new ConfigurationBuilder().AddInMemoryCollection(fileValues);
        var overrides = (environmentVariables ?? ReadEnvironment())
            .Where(p => p.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && p.Key.Contains("__", StringComparison.Ordinal))
            .ToList();

        // A misspelt section would otherwise be ignored without a word (keys inside known sections are checked below).
        foreach (var (name, _) in overrides)
        {
            var top = name[EnvironmentPrefix.Length..].Split("__")[0];
            if (!s_topLevel.Contains(top, StringComparer.OrdinalIgnoreCase))
            {
                _errors.Add($"{name}: the environment variable names no known section ('{top.ToLowerInvariant()}'; expected one of {string.Join(", ", s_topLevel)}).");
            }
        }

        builder.AddInMemoryCollection(overrides.Select(p => new KeyValuePair<string, string?>(p.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), p.Value)));
        var config = builder.Build();

        var options = new SwitchyardOptions { DiscoverProviders = path is null };
        ReadServer(config.GetSection("server"), options.Server);
        ReadAuth(config.GetSection("auth"), options.Auth);
        ReadRecording(config.GetSection("recording"), options.Recording);
        ReadTracing(config.GetSection("tracing"), options.Tracing);
        ReadTelemetry(config.GetSection("telemetry"), options.Telemetry);
        ReadAlerts(config.GetSection("alerts"), options.Alerts);
        ReadPrices(config["prices_file"], path, options);
        ReadLimits(config.GetSection("limits"), options.Limits);
        options.Keys.RotationGrace = Duration(config.GetSection("keys"), "rotation_grace") ?? options.Keys.RotationGrace;
        Unknown(config.GetSection("keys"), "rotation_grace");
        ReadRouting(config.GetSection("routing"), options.Routing);
        ReadCache(config.GetSection("cache"), options.Cache);
        ReadModelGroups(config.GetSection("model_groups"), options);

        if (_errors.Count > 0)
        {
            throw new ConfigurationException(_errors);
        }

        return options;
    }

    private static IEnumerable<KeyValuePair<string, string?>> ReadEnvironment()
    {
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string);
        }
    }

    private void ReadServer(IConfigurationSection s, ServerOptions o)
    {
        o.Urls = String(s, "urls") ?? o.Urls;
        o.DataDirectory = String(s, "data") ?? o.DataDirectory;
        o.MaxRequestBodyBytes = Long(s, "max_request_body_bytes", 1024, long.MaxValue) ?? o.MaxRequestBodyBytes;
        o.MaxJsonDepth = (int)(Long(s, "max_json_depth", 8, 1000) ?? o.MaxJsonDepth);
        o.MaxMessages = (int)(Long(s, "max_messages", 1, 1_000_000) ?? o.MaxMessages);
        o.ShutdownTimeout = Duration(s, "shutdown_timeout") ?? o.ShutdownTimeout;
        o.DiscoveryTimeout = Duration(s, "discovery_timeout") ?? o.DiscoveryTimeout;
        Unknown(s, "urls", "data", "max_request_body_bytes", "max_json_depth", "max_messages", "shutdown_timeout", "discovery_timeout");
    }

    private void ReadAuth(IConfigurationSection s, AuthOptions o)
    {
        o.AdminKey = Secret(s, "admin_key") ?? NullIfEmpty(_environment("SWITCHYARD_ADMIN_KEY"));
        o.AllowAnonymousOnLoopback = Bool(s, "allow_anonymous_on_loopback") ?? o.AllowAnonymousOnLoopback;
        if (o.AdminKey is { Length: < AuthOptions.MinAdminKeyLength })
        {
            _errors.Add($"auth.admin_key: the admin key must be at least {AuthOptions.MinAdminKeyLength} characters (it is {o.AdminKey.Length}); generate one with: openssl rand -hex 32");
        }

        o.SessionIdleTimeout = Duration(s, "session_idle_timeout") ?? o.SessionIdleTimeout;
        o.SessionLifetime = Duration(s, "session_lifetime") ?? o.SessionLifetime;
        if (o.SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            _errors.Add("auth.session_idle_timeout: must be at least 1m.");
        }

        if (o.SessionLifetime < o.SessionIdleTimeout)
        {
            _errors.Add("auth.session_lifetime: must be at least auth.session_idle_timeout.");
        }

        o.FailedAuthLimit = (int)(Long(s, "failed_auth_limit", 0, 1_000_000) ?? o.FailedAuthLimit);
        o.FailedAuthWindow = Duration(s, "failed_auth_window") ?? o.FailedAuthWindow;
        if (o.FailedAuthWindow < TimeSpan.FromSeconds(1) || o.FailedAuthWindow > TimeSpan.FromDays(1))
        {
            _errors.Add("auth.failed_auth_window: must be from 1s to 1d.");
        }

        var protect = s.GetSection("require_key_for");
        if (protect.Value is { Length: > 0 } single)
        {
            _errors.Add($"auth.require_key_for: must be a list (for example [metrics, models, ready]), not '{single}'.");
        }

        foreach (var item in protect.GetChildren())
        {
            o.RequireKeyFor |= item.Value?.Trim().ToLowerInvariant() switch
            {
                "metrics" => ProtectedEndpoints.Metrics,
                "models" => ProtectedEndpoints.Models,
                "ready" => ProtectedEndpoints.Ready,
                var other => Invalid($"auth.require_key_for[{item.Key}]: '{other}' is not one of metrics, models, ready."),
            };
        }

        Unknown(s, "admin_key", "allow_anonymous_on_loopback", "session_idle_timeout", "session_lifetime", "failed_auth_limit", "failed_auth_window", "require_key_for");
    }

    private void ReadRecording(IConfigurationSection s, RecordingOptions o)
    {
        o.Enabled = Bool(s, "enabled") ?? o.Enabled;
        o.QueueCapacity = (int)(Long(s, "queue_capacity", 1, 10_000_000) ?? o.QueueCapacity);
        o.SpanQueueCapacity = (int)(Long(s, "span_queue_capacity", 1, 10_000_000) ?? o.SpanQueueCapacity);
        o.BatchSize = (int)(Long(s, "batch_size", 1, 100_000) ?? o.BatchSize);
        o.MaxWait = Duration(s, "max_wait") ?? o.MaxWait;
        o.FlushInterval = Duration(s, "flush_interval") ?? o.FlushInterval;
        if (String(s, "overflow") is { } overflow)
        {
            if (Enum.TryParse<OverflowMode>(overflow, ignoreCase: true, out var mode))
            {
                o.Overflow = mode;
            }
            else
            {
                _errors.Add($"recording.overflow: '{overflow}' is not one of wait, drop.");
            }
        }

        Unknown(s, "enabled", "queue_capacity", "span_queue_capacity", "batch_size", "max_wait", "flush_interval", "overflow");
    }

    private void ReadTracing(IConfigurationSection s, TracingOptions o)
    {
        if (String(s, "capture") is { } capture)
        {
            if (Enum.TryParse<CaptureMode>(capture, ignoreCase: true, out var mode))
            {
                o.Capture = mode;
            }
            else
            {
                _errors.Add($"tracing.capture: '{capture}' is not one of full, sample, metadata.");
            }
        }

        o.SampleRate = Probability(s, "sample_rate") ?? o.SampleRate;
        o.MaxContentBytes = (int)(Long(s, "max_content_bytes", 0, 64L * 1024 * 1024) ?? o.MaxContentBytes);
        o.Retention = Duration(s, "retention") ?? o.Retention;
        foreach (var pattern in s.GetSection("redact").GetChildren())
        {
            var path = $"tracing.redact[{pattern.Key}]";
            if (pattern.Value is not { Length: > 0 } value)
            {
                _errors.Add($"{path}: must be a pattern name or a regular expression.");
                continue;
            }

            if (Tracing.ContentRedactor.Validate(value) is { } problem)
            {
                _errors.Add($"{path}: {problem}");
                continue;
            }

            o.Redact.Add(value);
        }

        Unknown(s, "capture", "sample_rate", "max_content_bytes", "redact", "retention");
    }

    private void ReadTelemetry(IConfigurationSection s, Telemetry.Out.TelemetryOptions o)
    {
        if (String(s, "otlp_endpoint") is { } endpoint)
        {
            if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                o.OtlpEndpoint = uri;
            }
            else
            {
                _errors.Add($"telemetry.otlp_endpoint: '{endpoint}' is not an absolute http(s) URL.");
            }
        }

        switch (String(s, "otlp_protocol")?.ToLowerInvariant())
        {
            case null:
                break;
            case "grpc":
                o.OtlpProtocol = Telemetry.Out.OtlpProtocol.Grpc;
                break;
            case "http/protobuf":
                o.OtlpProtocol = Telemetry.Out.OtlpProtocol.HttpProtobuf;
                break;
            case var other:
                _errors.Add($"telemetry.otlp_protocol: '{other}' is not one of grpc, http/protobuf.");
                break;
        }

        foreach (var header in s.GetSection("otlp_headers").GetChildren())
        {
            var path = $"telemetry.otlp_headers.{header.Key}";
            if (header.Value is null)
            {
                _errors.Add($"{path}: must be a string.");
                continue;
            }

            // The exporter takes headers as one "name=value,name=value" string.
            if (header.Key.AsSpan().ContainsAny(",="))
            {
                _errors.Add($"{path}: header names cannot contain ',' or '='.");
                continue;
            }

            if (ResolveSecret(header.Value, path) is { } value)
            {
                if (value.Contains(',', StringComparison.Ordinal))
                {
                    _errors.Add($"{path}: the value cannot contain ','.");
                    continue;
                }

                o.OtlpHeaders[header.Key] = value;
            }
        }

        o.ServiceName = String(s, "service_name") ?? o.ServiceName;
        o.ExportMetricsInterval = Duration(s, "metrics_interval") ?? o.ExportMetricsInterval;
        if (o.ExportMetricsInterval < TimeSpan.FromMilliseconds(100))
        {
            _errors.Add("telemetry.metrics_interval: must be at least 100ms.");
        }

        Unknown(s, "otlp_endpoint", "otlp_protocol", "otlp_headers", "service_name", "metrics_interval");
    }

    private void ReadLimits(IConfigurationSection s, LimitOptions o)
    {
        o.Global = ReadRateLimits(s.GetSection("global"));
        o.EstimatedOutputTokens = Long(s, "estimated_output_tokens", 0, 10_000_000) ?? o.EstimatedOutputTokens;
        if (String(s, "budget_time_zone") is { } zone)
        {
            try
            {
                o.BudgetTimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                _errors.Add($"limits.budget_time_zone: '{zone}' is not a known time zone (use an IANA name such as Europe/Paris, or UTC).");
            }
        }

        var fallback = s.GetSection("fallback_price");
        if (fallback.Exists())
        {
            var input = Decimal(fallback, "input_per_million");
            var output = Decimal(fallback, "output_per_million");
            if (input is null || output is null)
            {
                _errors.Add("limits.fallback_price: needs input_per_million and output_per_million (USD per million tokens).");
            }
            else
            {
                o.FallbackPrice = new Accounting.Pricing.PriceEntry("*", null, input.Value, input.Value, input.Value, output.Value, null, "limits.fallback_price", "");
            }

            Unknown(fallback, "input_per_million", "output_per_million");
        }

        Unknown(s, "global", "estimated_output_tokens", "budget_time_zone", "fallback_price");
    }

    /// <summary><c>{rpm, tpm, max_concurrent}</c>, each a positive whole number or absent.</summary>
    private Limits.RateLimits ReadRateLimits(IConfigurationSection s)
    {
        if (!s.Exists())
        {
            return Limits.RateLimits.None;
        }

        var limits = new Limits.RateLimits(Long(s, "rpm", 1, long.MaxValue), Long(s, "tpm", 1, long.MaxValue), (int?)Long(s, "max_concurrent", 1, int.MaxValue));
        Unknown(s, "rpm", "tpm", "max_concurrent");
        return limits;
    }

    private decimal? Decimal(IConfigurationSection s, string key)
    {
        if (String(s, key) is not { } text)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            _errors.Add($"{PathOf(s)}.{key}: '{text}' is not a non-negative number.");
            return null;
        }

        return value;
    }

    private void ReadAlerts(IConfigurationSection s, AlertOptions o)
    {
        // Read first: the webhook URLs are checked against it.
        o.AllowPrivateTargets = Bool(s, "allow_private_targets") ?? o.AllowPrivateTargets;
        o.MaxAttempts = (int)(Long(s, "max_attempts", 1, 20) ?? o.MaxAttempts);
        o.Timeout = Duration(s, "timeout") ?? o.Timeout;
        if (o.Timeout < TimeSpan.FromMilliseconds(100) || o.Timeout > TimeSpan.FromMinutes(10))
        {
            _errors.Add("alerts.timeout: must be from 100ms to 10m.");
        }

        o.RetryDelay = Duration(s, "retry_delay") ?? o.RetryDelay;
        if (o.RetryDelay > TimeSpan.FromMinutes(5))
        {
            _errors.Add("alerts.retry_delay: must be at most 5m (retries wait at most 5 minutes).");
        }

        o.QueueCapacity = (int)(Long(s, "queue_capacity", 1, 1_000_000) ?? o.QueueCapacity);
        var webhooks = s.GetSection("webhooks");
        if (webhooks.Value is { Length: > 0 })
        {
            _errors.Add("alerts.webhooks: must be a list of webhooks (url, format, headers).");
        }

        foreach (var w in webhooks.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue))
        {
            var path = $"alerts.webhooks[{w.Key}]";
            if (w.Value is not null)
            {
                _errors.Add($"{path}: must be a mapping with url, format and headers.");
                continue;
            }

            var format = WebhookFormat.Json;
            if (String(w, "format") is { } formatText)
            {
                if (Enum.TryParse<WebhookFormat>(formatText, ignoreCase: true, out var parsed) && !int.TryParse(formatText, out _))
                {
                    format = parsed;
                }
                else
                {
                    _errors.Add($"{path}.format: '{formatText}' is not one of json, slack.");
                }
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var header in w.GetSection("headers").GetChildren())
            {
                var hpath = $"{path}.headers.{header.Key}";
                if (header.Value is null)
                {
                    _errors.Add($"{hpath}: must be a string.");
                    continue;
                }

                if (!header.Key.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))
                    || header.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)
                    || header.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
                    || header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    _errors.Add($"{hpath}: not a header name a webhook request may set.");
                    continue;
                }

                if (ResolveSecret(header.Value, hpath) is { } value)
                {
                    if (value.AsSpan().ContainsAny('\r', '\n'))
                    {
                        _errors.Add($"{hpath}: the value cannot contain a line break.");
                        continue;
                    }

                    headers[header.Key] = value;
                }
            }

            // The URL may be a secret (a Slack webhook's path is its key): errors never repeat it.
            var url = Secret(w, "url");
            if (url is null)
            {
                if (!w.GetSection("url").Exists() || w.GetSection("url").Value is { Length: 0 })
                {
                    _errors.Add($"{path}.url: required.");
                }
            }
            else if (!Spend.Alerts.WebhookUrlPolicy.TryCreate(url, o.AllowPrivateTargets, out var uri, out var problem))
            {
                _errors.Add($"{path}.url: {problem}");
            }
            else
            {
                o.Webhooks.Add(new WebhookOptions { Url = uri!, Format = format, Headers = headers });
            }

            Unknown(w, "url", "format", "headers");
        }

        Unknown(s, "webhooks", "allow_private_targets", "max_attempts", "timeout", "retry_delay", "queue_capacity");
    }

    private void ReadPrices(string? pricesFile, string? configPath, SwitchyardOptions options)
    {
        if (string.IsNullOrWhiteSpace(pricesFile))
        {
            return;
        }

        // Relative to the config file, so a config and its price file travel together.
        var file = Path.IsPathRooted(pricesFile) || configPath is null ? pricesFile : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, pricesFile);
        if (!File.Exists(file))
        {
            _errors.Add($"prices_file: the file '{pricesFile}' does not exist.");
            return;
        }

        try
        {
            options.Prices.AddRange(Accounting.Pricing.PriceFile.Parse(File.ReadAllText(file), pricesFile));
        }
        catch (Accounting.Pricing.PriceFileException ex)
        {
            _errors.AddRange(ex.Errors.Select(e => $"prices_file: {e}"));
        }
    }

    private void ReadModelGroups(IConfigurationSection section, SwitchyardOptions options)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var groupSection in section.GetChildren())
        {
            var group = new ModelGroupOptions();
            var path = $"model_groups.{groupSection.Key}";
            var deployments = groupSection.GetSection("deployments").GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).ToList();
            if (deployments.Count == 0)
            {
                _errors.Add($"{path}.deployments: a model group needs at least one deployment.");
            }

            foreach (var d in deployments)
            {
                var dpath = $"{path}.deployments[{d.Key}]";
                var deployment = ReadDeployment(d, dpath, groupSection.Key);
                if (!names.Add(deployment.Name))
                {
                    _errors.Add($"{dpath}.name: '{deployment.Name}' is already used by another deployment; names must be unique.");
                }

                group.Deployments.Add(deployment);
            }

            if (deployments.Count > 0 && group.Deployments.All(d => d.Weight == 0))
            {
                _errors.Add($"{path}.deployments: at least one deployment needs a weight above 0.");
            }

            if (deployments.Count > 64)
            {
                _errors.Add($"{path}.deployments: at most 64 deployments per model group.");
            }

            group.Limits = ReadRateLimits(groupSection.GetSection("limits"));
            group.Strategy = Strategy(groupSection, "strategy");
            group.MaxRetries = (int?)Long(groupSection, "max_retries", 0, 10);
            group.Fallbacks = Names(groupSection, "fallbacks");
            group.ContextWindowFallbacks = Names(groupSection, "context_window_fallbacks");
            group.ContentPolicyFallbacks = Names(groupSection, "content_policy_fallbacks");
            var cache = groupSection.GetSection("cache");
            group.Cache.Exact = Bool(cache, "exact");
            group.Cache.Semantic = Bool(cache, "semantic");
            group.Cache.Ttl = Duration(cache, "ttl");
            group.Cache.MaxEntries = (int?)Long(cache, "max_entries", 1, 100_000_000);
            group.Cache.MaxBytes = Long(cache, "max_memory_mb", 1, 1_000_000) * 1024 * 1024;
            Unknown(cache, "exact", "semantic", "ttl", "max_entries", "max_memory_mb");
            Unknown(groupSection, "deployments", "limits", "strategy", "max_retries", "fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "cache");
            options.ModelGroups[groupSection.Key] = group;
        }

        foreach (var (name, group) in options.ModelGroups)
        {
            foreach (var (key, list) in (ReadOnlySpan<(string, List<string>)>)[("fallbacks", group.Fallbacks), ("context_window_fallbacks", group.ContextWindowFallbacks), ("content_policy_fallbacks", group.ContentPolicyFallbacks)])
            {
                foreach (var target in list)
                {
                    if (target == name)
                    {
                        _errors.Add($"model_groups.{name}.{key}: a group cannot fall back to itself.");
                    }
                    else if (!options.ModelGroups.ContainsKey(target))
                    {
                        _errors.Add($"model_groups.{name}.{key}: '{target}' is not a model group.");
                    }
                }
            }
        }
    }

    private void ReadRouting(IConfigurationSection s, RoutingOptions o)
    {
        o.Strategy = Strategy(s, "strategy") ?? o.Strategy;
        o.MaxRetries = (int)(Long(s, "max_retries", 0, 10) ?? o.MaxRetries);
        o.RetryBaseDelay = Duration(s, "retry_base_delay") ?? o.RetryBaseDelay;
        o.RetryMaxDelay = Duration(s, "retry_max_delay") ?? o.RetryMaxDelay;
        o.MaxRetryWait = Duration(s, "max_retry_wait") ?? o.MaxRetryWait;
        o.Exploration = Probability(s, "exploration") ?? o.Exploration;
        if (o.RetryMaxDelay < o.RetryBaseDelay)
        {
            _errors.Add("routing.retry_max_delay: must not be shorter than routing.retry_base_delay.");
        }

        var budget = s.GetSection("retry_budget");
        o.RetryBudget.Ratio = Probability(budget, "ratio") ?? o.RetryBudget.Ratio;
        o.RetryBudget.MinPerSecond = (int)(Long(budget, "min_per_second", 0, 1_000_000) ?? o.RetryBudget.MinPerSecond);
        o.RetryBudget.Window = Duration(budget, "window") ?? o.RetryBudget.Window;
        if (o.RetryBudget.Window < TimeSpan.FromSeconds(1) || o.RetryBudget.Window > TimeSpan.FromMinutes(10))
        {
            _errors.Add("routing.retry_budget.window: must be from 1s to 10m.");
        }

        Unknown(budget, "ratio", "min_per_second", "window");

        var breaker = s.GetSection("breaker");
        o.Breaker.Enabled = Bool(breaker, "enabled") ?? o.Breaker.Enabled;
        o.Breaker.FailureRatio = Probability(breaker, "failure_ratio") ?? o.Breaker.FailureRatio;
        o.Breaker.SamplingDuration = Duration(breaker, "sampling_duration") ?? o.Breaker.SamplingDuration;
        o.Breaker.MinimumThroughput = (int)(Long(breaker, "minimum_throughput", 2, 1_000_000) ?? o.Breaker.MinimumThroughput);
        o.Breaker.BreakDuration = Duration(breaker, "break_duration") ?? o.Breaker.BreakDuration;
        // Polly's own bounds, reported as configuration errors rather than a failure at start.
        if (o.Breaker.FailureRatio <= 0)
        {
            _errors.Add("routing.breaker.failure_ratio: must be above 0 (set enabled: false to switch breakers off).");
        }

        if (o.Breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || o.Breaker.SamplingDuration > TimeSpan.FromDays(1))
        {
            _errors.Add("routing.breaker.sampling_duration: must be from 500ms to 1d.");
        }

        if (o.Breaker.BreakDuration < TimeSpan.FromMilliseconds(500) || o.Breaker.BreakDuration > TimeSpan.FromDays(1))
        {
            _errors.Add("routing.breaker.break_duration: must be from 500ms to 1d.");
        }

        Unknown(breaker, "enabled", "failure_ratio", "sampling_duration", "minimum_throughput", "break_duration");

        var checks = s.GetSection("health_checks");
        o.HealthChecks.Interval = Duration(checks, "interval") ?? o.HealthChecks.Interval;
        o.HealthChecks.Timeout = Duration(checks, "timeout") ?? o.HealthChecks.Timeout;
        o.HealthChecks.FailuresToIsolate = (int)(Long(checks, "failures_to_isolate", 1, 100) ?? o.HealthChecks.FailuresToIsolate);
        if (o.HealthChecks.Enabled && o.HealthChecks.Interval < TimeSpan.FromSeconds(1))
        {
            _errors.Add("routing.health_checks.interval: must be 0 (off) or at least 1s.");
        }

        Unknown(checks, "interval", "timeout", "failures_to_isolate");
        Unknown(s, "strategy", "max_retries", "retry_base_delay", "retry_max_delay", "max_retry_wait", "exploration", "retry_budget", "breaker", "health_checks");
    }

    private void ReadCache(IConfigurationSection s, CacheOptions o)
    {
        o.Exact = Bool(s, "exact") ?? o.Exact;
        if (String(s, "scope") is { } scope)
        {
            if (Enum.TryParse<CacheScope>(scope, ignoreCase: true, out var parsed) && !scope.All(char.IsAsciiDigit))
            {
                o.Scope = parsed;
            }
            else
            {
                _errors.Add($"cache.scope: '{scope}' is not key, team or global.");
            }
        }

        o.Ttl = Duration(s, "ttl") ?? o.Ttl;
        o.MaxEntries = (int)(Long(s, "max_entries", 1, 100_000_000) ?? o.MaxEntries);
        o.MaxBytes = (Long(s, "max_memory_mb", 1, 1_000_000) ?? o.MaxBytes / (1024 * 1024)) * 1024 * 1024;
        o.MaxEntryBytes = (int)(Long(s, "max_entry_kb", 1, 1024 * 1024) ?? o.MaxEntryBytes / 1024) * 1024;
        if (String(s, "max_temperature") is { } text)
        {
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 2)
            {
                o.MaxTemperature = t;
            }
            else
            {
                _errors.Add($"cache.max_temperature: '{text}' is not a temperature from 0 to 2.");
            }
        }

        o.SideEffectTools = Names(s, "side_effect_tools");
        o.Semantic = Bool(s, "semantic") ?? o.Semantic;
        if (String(s, "similarity_threshold") is { } threshold)
        {
            if (double.TryParse(threshold, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t is > 0 and <= 1)
            {
                o.SimilarityThreshold = t;
            }
            else
            {
                _errors.Add($"cache.similarity_threshold: '{threshold}' is not a cosine similarity above 0 and at most 1.");
            }
        }

        Unknown(s, "exact", "semantic", "similarity_threshold", "scope", "ttl", "max_entries", "max_memory_mb", "max_entry_kb", "max_temperature", "side_effect_tools");
    }

    private LoadBalancing? Strategy(IConfigurationSection s, string key)
    {
        if (String(s, key) is not { } text)
        {
            return null;
        }

        var normalized = text.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (Enum.TryParse<LoadBalancing>(normalized, ignoreCase: true, out var strategy) && !normalized.All(char.IsAsciiDigit))
        {
            return strategy;
        }

        _errors.Add($"{PathOf(s)}.{key}: unknown strategy '{text}' (expected weighted, round_robin, least_busy, lowest_latency, lowest_cost or most_headroom).");
        return null;
    }

    /// <summary>A list of names (YAML sequence), or one comma-separated string.</summary>
    private List<string> Names(IConfigurationSection s, string key)
    {
        var section = s.GetSection(key);
        var values = section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value?.Trim() ?? "").ToArray();
        var names = new List<string>();
        foreach (var value in values)
        {
            if (value.Length == 0)
            {
                _errors.Add($"{PathOf(s)}.{key}: names must be non-empty strings.");
            }
            else if (!names.Contains(value))
            {
                names.Add(value);
            }
        }

        return names;
    }

    private DeploymentOptions ReadDeployment(IConfigurationSection s, string path, string group)
    {
        var d = new DeploymentOptions();
        var provider = String(s, "provider");
        if (provider is null)
        {
            _errors.Add($"{path}.provider: required (one of {string.Join(", ", s_providers)}).");
            provider = "sandbox";
        }
        else if (!s_providers.Contains(provider, StringComparer.OrdinalIgnoreCase))
        {
            _errors.Add($"{path}.provider: unknown provider '{provider}' (expected one of {string.Join(", ", s_providers)}).");
        }

        d.Provider = provider.ToLowerInvariant();
        d.Model = String(s, "model") ?? (d.Provider == "sandbox" ? group : "");
        if (d.Model.Length == 0)
        {
            _errors.Add($"{path}.model: required: the model name the {d.Provider} upstream knows{(d.Provider == "azure" ? " (the Azure deployment name)" : "")}.");
        }

        d.Name = String(s, "name") ?? $"{group}/{d.Provider}" + (s.Key == "0" ? "" : $"#{s.Key}");
        d.BaseUrl = String(s, "base_url");
        if (d.BaseUrl is not null && (!Uri.TryCreate(d.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            _errors.Add($"{path}.base_url: '{d.BaseUrl}' is not an absolute http(s) URL.");
        }

        if (d.Provider == "azure" && d.BaseUrl is null)
        {
            _errors.Add($"{path}.base_url: required for azure (the resource endpoint, https://NAME.openai.azure.com).");
        }

        d.ApiKey = Secret(s, "api_key");
        d.ApiVersion = String(s, "api_version");
        d.Weight = (int)(Long(s, "weight", 0, 1_000_000) ?? d.Weight);
        d.Timeout = Duration(s, "timeout") ?? d.Timeout;
        d.ConnectTimeout = Duration(s, "connect_timeout") ?? d.ConnectTimeout;
        d.FirstTokenTimeout = Duration(s, "first_token_timeout") ?? d.FirstTokenTimeout;
        d.IdleTimeout = Duration(s, "idle_timeout") ?? d.IdleTimeout;
        foreach (var (key, value) in (ReadOnlySpan<(string, TimeSpan?)>)[("timeout", d.Timeout), ("connect_timeout", d.ConnectTimeout), ("first_token_timeout", d.FirstTokenTimeout), ("idle_timeout", d.IdleTimeout)])
        {
            if (value is { } t && (t < TimeSpan.FromMilliseconds(1) || t > TimeSpan.FromDays(1)))
            {
                _errors.Add($"{path}.{key}: must be from 1ms to 1d.");
            }
        }
        d.StreamUsage = Bool(s, "stream_usage") ?? d.StreamUsage;
        d.DefaultMaxTokens = (int)(Long(s, "default_max_tokens", 1, 10_000_000) ?? d.DefaultMaxTokens);
        foreach (var header in s.GetSection("headers").GetChildren())
        {
            if (header.Value is null)
            {
                _errors.Add($"{path}.headers.{header.Key}: must be a string.");
                continue;
            }

            d.Headers[header.Key] = ResolveSecret(header.Value, $"{path}.headers.{header.Key}") ?? "";
        }

        var sandbox = s.GetSection("sandbox");
        var sb = d.Sandbox;
        sb.TimeToFirstToken = Duration(sandbox, "time_to_first_token") ?? sb.TimeToFirstToken;
        sb.InterTokenDelay = Duration(sandbox, "inter_token_delay") ?? sb.InterTokenDelay;
        sb.ErrorRate = Probability(sandbox, "error_rate") ?? sb.ErrorRate;
        sb.RateLimitRate = Probability(sandbox, "rate_limit_rate") ?? sb.RateLimitRate;
        sb.RetryAfter = Duration(sandbox, "retry_after") ?? sb.RetryAfter;
        sb.HangRate = Probability(sandbox, "hang_rate") ?? sb.HangRate;
        sb.CutStreamRate = Probability(sandbox, "cut_stream_rate") ?? sb.CutStreamRate;
        sb.CutAfterChunks = (int)(Long(sandbox, "cut_after_chunks", 0, 1_000_000) ?? sb.CutAfterChunks);
        sb.DefaultAnswerTokens = (int)(Long(sandbox, "default_answer_tokens", 1, 100_000) ?? sb.DefaultAnswerTokens);
        sb.Seed = (int)(Long(sandbox, "seed", int.MinValue, int.MaxValue) ?? sb.Seed);
        if (sandbox.Exists() && d.Provider != "sandbox")
        {
            _errors.Add($"{path}.sandbox: only sandbox deployments take sandbox knobs.");
        }

        Unknown(sandbox, "time_to_first_token", "inter_token_delay", "error_rate", "rate_limit_rate", "retry_after", "hang_rate", "cut_stream_rate", "cut_after_chunks", "default_answer_tokens", "seed");
        Unknown(s, "name", "provider", "model", "base_url", "api_key", "api_version", "weight", "timeout", "connect_timeout", "first_token_timeout", "idle_timeout", "stream_usage", "default_max_tokens", "headers", "sandbox");
        return d;
    }

    private void Unknown(IConfigurationSection s, params string[] known)
    {
        foreach (var child in s.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                _errors.Add($"{PathOf(s)}.{child.Key}: unknown key (expected one of {string.Join(", ", known)}).");
            }
        }
    }

    /// <summary><c>model_groups:m:deployments:0</c> → <c>model_groups.m.deployments[0]</c>, as users write it.</summary>
    private static string PathOf(IConfigurationSection s)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var segment in s.Path.Split(':'))
        {
            if (segment.Length > 0 && segment.All(char.IsAsciiDigit))
            {
                builder.Append('[').Append(segment).Append(']');
            }
            else
            {
                builder.Append(builder.Length == 0 ? "" : ".").Append(segment);
            }
        }

        return builder.ToString();
    }

    private string? String(IConfigurationSection s, string key)
    {
        var child = s.GetSection(key);
        if (child.Value is null && child.GetChildren().Any())
        {
            _errors.Add($"{PathOf(s)}.{key}: must be a single value, not a list or mapping.");
            return null;
        }

        return NullIfEmpty(child.Value?.Trim());
    }

    private string? Secret(IConfigurationSection s, string key) => String(s, key) is { } value ? ResolveSecret(value, $"{PathOf(s)}.{key}") : null;

    /// <summary><c>env:NAME</c> reads the variable NAME; anything else is taken literally. Values never appear in errors.</summary>
    private string? ResolveSecret(string value, string path)
    {
        if (!value.StartsWith("env:", StringComparison.Ordinal))
        {
            return value;
        }

        var name = value[4..].Trim();
        var resolved = NullIfEmpty(_environment(name));
        if (resolved is null)
        {
            _errors.Add($"{path}: refers to the environment variable {name}, which is not set.");
        }

        return resolved;
    }

    private long? Long(IConfigurationSection s, string key, long min, long max)
    {
        if (String(s, key) is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            _errors.Add($"{PathOf(s)}.{key}: '{text}' is not a whole number.");
            return null;
        }

        if (value < min || value > max)
        {
            _errors.Add($"{PathOf(s)}.{key}: {value} is out of range ({min}..{max}).");
            return null;
        }

        return value;
    }

    private double? Probability(IConfigurationSection s, string key)
    {
        if (String(s, key) is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1)
        {
            _errors.Add($"{PathOf(s)}.{key}: '{text}' is not a probability between 0 and 1.");
            return null;
        }

        return value;
    }

    private bool? Bool(IConfigurationSection s, string key)
    {
        if (String(s, key) is not { } text)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        _errors.Add($"{PathOf(s)}.{key}: '{text}' is not true or false.");
        return null;
    }

    /// <summary>Seconds as a number, or a number with ms, s, m, h or d.</summary>
    private TimeSpan? Duration(IConfigurationSection s, string key)
    {
        if (String(s, key) is not { } text)
        {
            return null;
        }

        if (TryParseDuration(text, out var value))
        {
            return value;
        }

        _errors.Add($"{PathOf(s)}.{key}: '{text}' is not a duration (seconds, or a number with ms, s, m, h or d).");
        return null;
    }

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : text.EndsWith('d') ? (text[..^1], 86400.0)
            : (text, 1.0);
        if (!double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || double.IsInfinity(amount) || amount * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    private ProtectedEndpoints Invalid(string error)
    {
        _errors.Add(error);
        return ProtectedEndpoints.None;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
