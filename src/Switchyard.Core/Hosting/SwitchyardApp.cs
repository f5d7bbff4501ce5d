using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Ingress;
using Switchyard.Providers;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Sandbox;
using Switchyard.Recording;
using Switchyard.Routing;
using Switchyard.Storage;
using Switchyard.Telemetry.Out;

namespace Switchyard.Hosting;

/// <summary>Builds the web application that <c>switchyard serve</c> runs: gateway, health and admin API.</summary>
internal static class SwitchyardApp
{
    public static WebApplication Build(SwitchyardOptions options, AdminKey adminKey, AuthMode authMode, Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Switchyard", Args = [] });
        // Switchyard reads its own configuration; ASPNETCORE_* variables and appsettings must not change it.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection();
        builder.WebHost.UseUrls(options.Server.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Bodies are bounded by the ingress stage, which answers 413 in the API's own error shape.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Switchyard", LogLevel.Information);
        // Hosting's per-request logging would open a log scope and start an Activity for every call
        // (a fifth of the gateway's per-call garbage, docs/benchmarks.md); Switchyard traces calls itself,
        // and unhandled errors are logged by Kestrel and by the gateway handler.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // The dashboard's session keys live in the data directory beside the database they protect
        // (docs/decisions.md); Data Protection warns that they are not encrypted at rest, on every start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.Server.ShutdownTimeout);

        AddSwitchyard(builder.Services, options, adminKey, authMode);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        app.Services.GetRequiredService<SqliteDatabase>().Migrate();
        app.Services.GetRequiredService<Tracing.IRollupStore>().BackfillIfEmptyAsync(CancellationToken.None).GetAwaiter().GetResult();
        app.Use(new TraceHeadersMiddleware(app.Services.GetRequiredService<TimeProvider>()).InvokeAsync);
        app.Use(Dashboard.DashboardSecurityHeaders.InvokeAsync);
        // Routing after the two above (not first, where WebApplication would add it), so they still run
        // for the gateway's endpoints, which routing short-circuits past the dashboard's middleware.
        app.UseRouting();
        app.MapIngestion();
        app.MapLangfusePrompts();
        app.MapGatewayApi();
        app.MapHealth();
        // Open by default, as Prometheus scrapers expect; auth.require_key_for: [metrics] closes it to read keys.
        var access = app.Services.GetRequiredService<ApiAccess>();
        app.MapPrometheusScrapingEndpoint(
            path: null,
            meterProvider: null,
            configureBranchedPipeline: (options.Auth.RequireKeyFor & ProtectedEndpoints.Metrics) != 0 ? branch => branch.RequireKey(access, KeyScopes.Read) : null,
            optionsName: null);
        app.MapAdminApi();
        Dashboard.DashboardSetup.MapDashboard(app);
        app.MapGet("/", () => Results.Redirect("/ui"));
        return app;
    }

    public static IServiceCollection AddSwitchyard(IServiceCollection services, SwitchyardOptions options, AdminKey adminKey, AuthMode authMode)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(RandomSource.Shared);
        services.AddSingleton(options);
        Dashboard.DashboardSetup.AddDashboard(services, options);
        services.AddSingleton(options.Recording);
        services.AddSingleton(options.Tracing);
        services.AddSingleton(_ => Accounting.Pricing.PriceCatalog.Create(options.Prices));
        services.AddSingleton<Tracing.ITraceReader, Storage.Sqlite.SqliteTraceReader>();
        services.AddSingleton<Tracing.ITraceAggregates, Storage.Sqlite.SqliteTraceAggregates>();
        services.AddSingleton<Guardrails.IGuardrailReader, Storage.Sqlite.SqliteGuardrailReader>();
        services.AddSingleton<Tracing.ITraceRetention, Storage.Sqlite.SqliteTraceRetention>();
        services.AddSingleton<Storage.IStorageHealth, Storage.Sqlite.SqliteStorageHealth>();
        services.AddSingleton<Tracing.IRollupStore, Storage.Sqlite.SqliteRollupStore>();
        services.AddHostedService<Tracing.RollupCompaction>();
        services.AddSingleton<Tracing.RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<Tracing.RetentionService>());
        services.AddSingleton<Tracing.IScoreStore, Storage.Sqlite.SqliteScoreStore>();
        services.AddSingleton<Tracing.ScoreIntake>();
        services.AddSingleton<Tracing.ITraceOwnership, Storage.Sqlite.SqliteTraceOwnership>();
        services.AddSingleton(new Telemetry.SpanIngestQueue(options.Recording.SpanQueueCapacity));
        services.AddSingleton<Telemetry.ISpanStore, Storage.Sqlite.SqliteSpanStore>();
        services.AddSingleton<Telemetry.SpanWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<Telemetry.SpanWriter>());
        services.AddSingleton(adminKey);
        services.AddSingleton(authMode);
        services.AddSingleton(new SqliteDatabase(options.Server.DataDirectory));
        services.AddSingleton<IIdentityStore, Storage.Sqlite.SqliteIdentityStore>();
        services.AddSingleton<Storage.Sqlite.SqlitePromptStore>();
        services.AddSingleton<Prompts.Serving.PromptChangeFeed>();
        // Every writer goes through the observed store, so the gateway's prompt catalog forgets what changed.
        services.AddSingleton<Prompts.IPromptStore>(sp => new Prompts.Serving.ObservedPromptStore(sp.GetRequiredService<Storage.Sqlite.SqlitePromptStore>(), sp.GetRequiredService<Prompts.Serving.PromptChangeFeed>()));
        services.AddSingleton<Prompts.Serving.PromptCatalog>();
        services.AddSingleton<Prompts.Traffic.IPromptTrafficStore, Storage.Sqlite.SqlitePromptTrafficStore>();
        services.AddSingleton<Prompts.Traffic.TrafficSplits>();
        services.AddSingleton<Evaluation.Datasets.IDatasetStore, Storage.Sqlite.SqliteDatasetStore>();
        services.AddSingleton<Prompts.IPromptCallSamples, Storage.Sqlite.SqlitePromptCallSamples>();
        services.AddSingleton<Prompts.Serving.PromptStage>();
        services.AddSingleton(sp => new PlacedStage(PipelinePlace.PromptResolution, sp.GetRequiredService<Prompts.Serving.PromptStage>()));
        services.AddSingleton<KeyRegistry>();
        services.AddSingleton<ApiAccess>();
        services.AddSingleton(sp => new FailedAuthThrottle(options.Auth, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<GatewayTelemetry>().Meter, sp.GetRequiredService<ILogger<FailedAuthThrottle>>()));
        services.AddSingleton<Limits.ILimitStore, Limits.InProcessLimitStore>();
        services.AddSingleton<Accounting.CallCost>();
        services.AddSingleton<Spend.SpendLedger>();
        services.AddHostedService(sp => sp.GetRequiredService<Spend.SpendLedger>());
        services.AddSingleton<Spend.ISpendStore, Storage.Sqlite.SqliteSpendStore>();
        services.AddSingleton<Spend.BudgetStatus>();
        services.AddSingleton<Spend.BudgetSeeder>();
        services.AddHostedService(sp => sp.GetRequiredService<Spend.BudgetSeeder>());
        services.AddSingleton(sp => new UpstreamHttp(sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(10)));
        services.AddSingleton<IProviderAdapter, OpenAIAdapter>();
        services.AddSingleton<IProviderAdapter, AzureOpenAIAdapter>();
        services.AddSingleton<IProviderAdapter, AnthropicAdapter>();
        services.AddSingleton<IProviderAdapter, SandboxAdapter>();
        services.AddSingleton(sp => new RoutingMetrics(sp.GetRequiredService<Telemetry.Out.GatewayTelemetry>().Meter));
        services.AddSingleton(sp => BuildCatalog(options, sp.GetServices<IProviderAdapter>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<RoutingMetrics>(), sp.GetRequiredService<Accounting.Pricing.PriceCatalog>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<DeploymentBreaker>()));
        services.AddSingleton<HealthChecks>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthChecks>());
        services.AddSingleton<CallRecorder>();
        services.AddSingleton<ICallRecordStore, Storage.Sqlite.SqliteCallRecordStore>();
        services.AddSingleton<CallRecordWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<CallRecordWriter>());
        services.AddSingleton<IngressStage>();
        services.AddSingleton<IdentityStage>();
        services.AddSingleton<Limits.AdmissionStage>();
        // The index is a seam of its own: cluster mode will put pgvector behind it.
        services.TryAddSingleton<Caching.Semantic.IVectorIndex>(_ => new Caching.Semantic.VectorIndex(Embeddings.MiniLmEmbedder.VectorDimensions));
        // One embedding worker per process, shared by every stage that compares meaning.
        services.AddSingleton(sp => new Embeddings.EmbeddingBatcher(Embeddings.MiniLmEmbedder.Shared, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Caching.Semantic.SemanticCache>();
        services.AddHostedService<Caching.Semantic.SemanticWarmup>();
        services.AddSingleton<Caching.ExactCache>();
        services.AddHostedService<Caching.Semantic.SemanticIndexer>();
        services.AddSingleton<Caching.CacheStage>();
        services.AddSingleton(sp => new Guardrails.GuardrailMetrics(sp.GetRequiredService<Telemetry.Out.GatewayTelemetry>().Meter));
        services.AddSingleton<Guardrails.GuardrailChecker>();
        services.AddSingleton<Guardrails.GuardrailCatalog>();
        services.AddSingleton<Guardrails.InputGuardrailStage>();
        if (options.Guardrails.Active(options.ModelGroups.Values))
        {
            services.AddSingleton(sp => new PlacedStage(PipelinePlace.InputGuardrails, sp.GetRequiredService<Guardrails.InputGuardrailStage>()));
        }

        services.AddSingleton<UpstreamAttempt>();
        services.AddSingleton<UpstreamModelWatch>();
        services.AddSingleton<RouteStage>();
        // The request path, outermost first; the named places are where the coming stages go.
        services.AddSingleton(sp => new GatewayPipelineBuilder(sp)
            // Before the body is read, so an unauthenticated caller cannot make the gateway buffer a large body.
            .Use<IdentityStage>()
            .Use<IngressStage>()
            .UsePlace(PipelinePlace.PromptResolution)
            .Use<Limits.AdmissionStage>()
            .UsePlace(PipelinePlace.InputGuardrails)
            .UsePlace(PipelinePlace.OutputGuardrails)
            // The cache stage also answers its controls and the x-switchyard-cache header when caching is off for a group.
            .Use<Caching.CacheStage>()
            .Use<RouteStage>()
            .Build());
        services.AddSingleton<GatewayHandler>();
        services.AddSingleton(options.Alerts);
        services.AddSingleton<Spend.Alerts.IAlertStore, Storage.Sqlite.SqliteAlertStore>();
        services.AddSingleton(new Spend.Alerts.AlertQueue(options.Alerts.QueueCapacity));
        services.AddSingleton<Spend.Alerts.SpendAlerts>();
        services.AddSingleton<Spend.ISpendAlerts>(sp => sp.GetRequiredService<Spend.Alerts.SpendAlerts>());
        services.AddSingleton<Spend.Alerts.WebhookSender>();
        services.AddSingleton<Spend.Alerts.AlertDeliveryService>();
        services.AddHostedService(sp => sp.GetRequiredService<Spend.Alerts.AlertDeliveryService>());
        services.AddSingleton<Prompts.Traffic.RolloutService>();
        services.AddHostedService(sp => sp.GetRequiredService<Prompts.Traffic.RolloutService>());
        services.AddSingleton<Guardrails.GuardrailSurgeMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<Guardrails.GuardrailSurgeMonitor>());
        services.AddGatewayTelemetry(options.Telemetry);
        return services;
    }

    public static ModelCatalog BuildCatalog(SwitchyardOptions options, IEnumerable<IProviderAdapter> adapters, TimeProvider time, RoutingMetrics metrics, Accounting.Pricing.PriceCatalog prices, ILogger logger)
    {
        var byName = adapters.ToDictionary(a => a.Provider, StringComparer.OrdinalIgnoreCase);
        var groups = new List<ModelGroup>();
        foreach (var (name, group) in options.ModelGroups)
        {
            var routing = GroupRouting.For(group, options.Routing, time);
            var deployments = group.Deployments.Select((d, i) => new Deployment(
                name,
                d,
                byName[d.Provider],
                new DeploymentHealth(new DeploymentBreaker(d.Name, options.Routing.Breaker, time, metrics, logger)),
                i,
                PricePerMillion(prices, d, name),
                tracksHeadroom: routing.Strategy == LoadBalancing.MostHeadroom)).ToArray();
            groups.Add(new ModelGroup(name, deployments, routing));
        }

        var catalog = new ModelCatalog(groups);
        metrics.ObserveDeployments(catalog);
        return catalog;
    }

    private static decimal PricePerMillion(Accounting.Pricing.PriceCatalog prices, DeploymentOptions deployment, string group) =>
        deployment.Provider == "sandbox" ? 0
        : prices.TryFind(deployment.Provider, deployment.Model, out var price) || prices.TryFind(deployment.Provider, group, out price) ? price.InputPerMillion + price.OutputPerMillion
        : decimal.MaxValue;
}
