using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Switchyard.Client;

/// <summary>Registers a <see cref="SwitchyardClient"/> and Microsoft.Extensions.AI clients over it.</summary>
public static class SwitchyardServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SwitchyardClient"/> singleton (for feedback and scores, and for the clients
    /// below). The first registration wins; later calls do not reconfigure it.
    /// </summary>
    public static IServiceCollection AddSwitchyardClient(this IServiceCollection services, Action<SwitchyardClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(_ =>
        {
            var options = new SwitchyardClientOptions();
            configure?.Invoke(options);
            return new SwitchyardClient(options);
        });
        return services;
    }

    /// <summary>
    /// Registers the <see cref="IChatClient"/> for a model group of the gateway; add middleware
    /// (<c>UseOpenTelemetry</c>, <c>UseDistributedCache</c>, ...) on the builder returned.
    /// </summary>
    public static ChatClientBuilder AddSwitchyardChatClient(this IServiceCollection services, string model, Action<SwitchyardClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        services.AddSwitchyardClient(configure);
        return services.AddChatClient(provider => provider.GetRequiredService<SwitchyardClient>().GetChatClient(model));
    }

    /// <summary>Registers the embedding generator for a model group of the gateway.</summary>
    public static EmbeddingGeneratorBuilder<string, Embedding<float>> AddSwitchyardEmbeddingGenerator(this IServiceCollection services, string model, int? dimensions = null, Action<SwitchyardClientOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        services.AddSwitchyardClient(configure);
        return services.AddEmbeddingGenerator(provider => provider.GetRequiredService<SwitchyardClient>().GetEmbeddingGenerator(model, dimensions));
    }
}
