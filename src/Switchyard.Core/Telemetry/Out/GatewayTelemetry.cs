using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchyard.Accounting.Pricing;
using Switchyard.Gateway;
using Switchyard.Routing;
using static Switchyard.Telemetry.Out.GenAiConventions;

namespace Switchyard.Telemetry.Out;

/// <summary>
/// The gateway's own OpenTelemetry signals: one GenAI client span per call and the GenAI client
/// metrics, from the fixed head and tail of <see cref="GatewayHandler"/>. Without a listener no span is
/// created and no measurement is taken, so an unobserved gateway pays one flag check per instrument.
/// </summary>
internal sealed class GatewayTelemetry : IDisposable
{
    public const string Name = "Switchyard.Gateway";

    private readonly ActivitySource _source = new(Name);
    private readonly PriceCatalog _prices;
    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _firstChunk;
    private readonly Counter<long> _requests;
    private readonly Counter<double> _cost;
    private readonly ConcurrentDictionary<Deployment, string?> _serverAddresses = new();

    public GatewayTelemetry(PriceCatalog prices)
    {
        _prices = prices;
        Meter = new Meter(Name);
        _tokens = Meter.CreateHistogram(
            "gen_ai.client.token.usage",
            "{token}",
            "Number of input and output tokens used.",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
        _duration = Meter.CreateHistogram(
            "gen_ai.client.operation.duration",
            "s",
            "GenAI operation duration.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _firstChunk = Meter.CreateHistogram(
            "gen_ai.client.operation.time_to_first_chunk",
            "s",
            "Time to receive the first chunk of a streamed response.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = FirstChunkBuckets });
        _requests = Meter.CreateCounter<long>("switchyard.requests", "{request}", "Gateway calls, by the status the client got.");
        _cost = Meter.CreateCounter<double>("switchyard.cost", "USD", "Cost of answered calls from the price catalogue; calls without a price are counted by switchyard.unpriced_calls.");
    }

    /// <summary>Shared with <see cref="QueueGauges"/>, so every gateway instrument is under one meter.</summary>
    public Meter Meter { get; }

    /// <summary>
    /// Starts the call's span when something listens, and gives <paramref name="trace"/> the span's ids:
    /// the caller's trace (from <c>traceparent</c>) is kept, the span id is the activity's.
    /// </summary>
    public Activity? StartCall(ref TraceIds trace)
    {
        if (!_source.HasListeners())
        {
            return null;
        }

        Activity? activity;
        if (trace.ParentSpanId != default)
        {
            var parent = new ActivityContext(trace.TraceId, trace.ParentSpanId, trace.Sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: true);
            activity = _source.StartActivity(ActivityKind.Client, parent, name: "gateway");
        }
        else
        {
            // The call record says this call has no parent; an ambient activity (ASP.NET Core's own,
            // when anything listens to it) would otherwise become one that no exporter sends.
            Activity.Current = null;
            activity = _source.StartActivity("gateway", ActivityKind.Client);
        }

        if (activity is not null)
        {
            trace = trace.WithSpan(activity.TraceId, activity.SpanId);
        }

        return activity;
    }

    /// <summary>Tags and stops the span, and records the call's metrics. Runs once, at the tail.</summary>
    public void EndCall(CallContext call, Activity? activity)
    {
        if (activity is not null)
        {
            if (activity.IsAllDataRequested)
            {
                TagSpan(activity, call);
            }

            activity.Stop();
        }

        if (_requests.Enabled || _duration.Enabled || _tokens.Enabled || _firstChunk.Enabled)
        {
            RecordMetrics(call);
        }
    }

    /// <summary>Called by the record writer, off the request path, once a call's cost is known.</summary>
    public void RecordCost(string? modelGroup, long costNanoUsd)
    {
        if (costNanoUsd > 0 && _cost.Enabled)
        {
            _cost.Add(costNanoUsd / 1e9, new KeyValuePair<string, object?>(RequestModel, modelGroup));
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        Meter.Dispose();
    }

    private void TagSpan(Activity activity, CallContext call)
    {
        var operation = Operation(call.Api);
        var model = call.Group?.Name ?? call.Request.Model;
        var deployment = call.Deployment;
        activity.DisplayName = model is null ? operation : $"{operation} {model}";
        activity.SetTag(OperationName, operation);
        activity.SetTag(ProviderName, Provider(deployment?.Provider));
        activity.SetTag(RequestModel, model);
        activity.SetTag(ResponseModel, call.UpstreamModel ?? deployment?.Model);
        if (call.Usage.InputTokens > 0 || call.UsageReported)
        {
            activity.SetTag(InputTokens, call.Usage.InputTokens);
            activity.SetTag(OutputTokens, call.Usage.OutputTokens);
        }

        if (call.FinishReason is { } finish)
        {
            activity.SetTag(FinishReasons, new[] { finish });
        }

        if (deployment is not null)
        {
            activity.SetTag(ServerAddress, ServerAddressOf(deployment));
            activity.SetTag("switchyard.deployment", deployment.Name);
        }

        activity.SetTag(StatusCode, call.Status);
        activity.SetTag("switchyard.attempts", call.Attempts.Count);
        if (Cost(call) is { } cost)
        {
            activity.SetTag("switchyard.cost_usd", (double)cost);
        }

        if (ErrorTypeOf(call) is { } error)
        {
            activity.SetTag(ErrorType, error);
            activity.SetStatus(ActivityStatusCode.Error, call.ErrorMessage);
        }
    }

    private void RecordMetrics(CallContext call)
    {
        var group = call.Group?.Name;
        var deployment = call.Deployment;
        var error = ErrorTypeOf(call);

        // Only the configured model group is a label: a request's own model name is the caller's
        // choice and would let any client grow the number of series without bound.
        // Absent facts are left out rather than exported as empty labels.
        var tags = new TagList { { OperationName, Operation(call.Api) } };
        AddIfKnown(ref tags, RequestModel, group);
        if (deployment is not null)
        {
            tags.Add(ProviderName, Provider(deployment.Provider));
            tags.Add(ResponseModel, call.UpstreamModel ?? deployment.Model);
            AddIfKnown(ref tags, ServerAddress, ServerAddressOf(deployment));
        }

        AddIfKnown(ref tags, ErrorType, error);

        _duration.Record(call.Elapsed(call.EndTimestamp).TotalSeconds, tags);
        if (call.FirstTokenTimestamp != 0 && call.Request.Stream)
        {
            _firstChunk.Record(call.Elapsed(call.FirstTokenTimestamp).TotalSeconds, tags);
        }

        if (error is null && (call.UsageReported || call.Usage.InputTokens > 0))
        {
            var input = tags;
            input.Add(TokenType, "input");
            _tokens.Record(call.Usage.InputTokens, input);
            if (call.Api != ClientApi.Embeddings)
            {
                var output = tags;
                output.Add(TokenType, "output");
                _tokens.Record(call.Usage.OutputTokens, output);
            }
        }

        var requestTags = new TagList { { StatusCode, call.Status } };
        AddIfKnown(ref requestTags, RequestModel, group);
        AddIfKnown(ref requestTags, "switchyard.deployment", deployment?.Name);
        _requests.Add(1, requestTags);
    }

    private static void AddIfKnown(ref TagList tags, string key, string? value)
    {
        if (value is not null)
        {
            tags.Add(key, value);
        }
    }

    private static string? ErrorTypeOf(CallContext call) =>
        call.ErrorType ?? (call.Status is >= 400 or < 200 ? call.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : null);

    /// <summary>The same rule as the record writer's: the sandbox is free, no tokens cost nothing, no price is unknown.</summary>
    private decimal? Cost(CallContext call)
    {
        var provider = call.Deployment?.Provider;
        if (provider is null || provider == "sandbox" || call.Usage.TotalTokens == 0)
        {
            return provider is null ? null : 0;
        }

        return _prices.TryFind(provider, call.UpstreamModel ?? call.Deployment?.Model, out var price) || _prices.TryFind(provider, call.Group?.Name, out price)
            ? CostCalculator.Compute(call.Usage, price)
            : null;
    }

    private string? ServerAddressOf(Deployment deployment) => _serverAddresses.GetOrAdd(deployment, static d =>
    {
        var baseUrl = d.Options.BaseUrl ?? d.Provider switch
        {
            "openai" => Providers.OpenAI.OpenAIAdapter.DefaultBaseUrl,
            "anthropic" => Providers.Anthropic.AnthropicAdapter.DefaultBaseUrl,
            _ => null,
        };
        return Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri.Host : null;
    });
}
