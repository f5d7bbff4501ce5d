namespace Switchyard.Caching.Semantic;

/// <summary>Turns the text of a request into a unit-length vector, locally.</summary>
internal interface ITextEmbedder
{
    int Dimensions { get; }

    /// <summary>The longest text, in the model's own tokens, that it reads to the end.</summary>
    int WindowTokens { get; }

    /// <summary>The model's token count for <paramref name="text"/>, its start and end markers included.</summary>
    int CountTokens(string text);

    float[] Embed(string text, CancellationToken cancellationToken);
}
