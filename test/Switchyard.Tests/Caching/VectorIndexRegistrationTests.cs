using Microsoft.Extensions.DependencyInjection;
using Switchyard.Caching.Semantic;
using Switchyard.Embeddings;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Caching;

/// <summary>The semantic cache takes its vector index from DI, so another implementation can be put in its place.</summary>
public sealed class VectorIndexRegistrationTests
{
    [Fact]
    public async Task The_semantic_cache_searches_the_index_the_container_holds()
    {
        await using (var gateway = await TestGateway.StartAsync())
        {
            Assert.Same(gateway.Services.GetRequiredService<IVectorIndex>(), gateway.Services.GetRequiredService<SemanticCache>().Index);
        }

        var replacement = new VectorIndex(MiniLmEmbedder.VectorDimensions);
        await using var replaced = await TestGateway.StartAsync(services: s => s.AddSingleton<IVectorIndex>(replacement));
        Assert.Same(replacement, replaced.Services.GetRequiredService<SemanticCache>().Index);
    }
}
