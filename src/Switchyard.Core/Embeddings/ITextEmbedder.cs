namespace Switchyard.Embeddings;

/// <summary>Turns text into unit-length vectors, locally.</summary>
internal interface ITextEmbedder
{
    int Dimensions { get; }

    /// <summary>The longest text, in the model's own tokens, that it reads to the end.</summary>
    int WindowTokens { get; }

    /// <summary>The model's token count for <paramref name="text"/>, its start and end markers included.</summary>
    int CountTokens(string text);

    float[] Embed(string text, CancellationToken cancellationToken);

    /// <summary>Several texts in one run of the model, each vector the one <see cref="Embed"/> gives.</summary>
    float[][] EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
