using Microsoft.Extensions.AI;

namespace Switchyard.Client;

/// <summary>The OpenAI SDK's embedding client as an embedding generator, with per-call Switchyard options and trace ids.</summary>
internal sealed class SwitchyardEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner) : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (scope, previous) = SwitchyardCallScope.Begin(options.GetSwitchyard());
        try
        {
            var embeddings = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
            scope.CopyTo(embeddings.AdditionalProperties ??= []);
            return embeddings;
        }
        finally
        {
            SwitchyardCallScope.Restore(previous);
        }
    }
}
