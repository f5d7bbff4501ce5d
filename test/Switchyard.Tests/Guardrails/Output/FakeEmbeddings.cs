namespace Switchyard.Tests.Guardrails.Output;

/// <summary>Bag-of-words vectors: each lower-cased word hashed into one of 512 dimensions, normalised to unit length.</summary>
internal static class FakeEmbeddings
{
    private const int Dimensions = 512;

    public static Task<float[][]> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Task.FromResult(texts.Select(Embed).ToArray());

    private static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        var words = text.ToLowerInvariant().Split((char[])[' ', ',', '.', '!', '?', '\n'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var word in words)
        {
            var hash = 17;
            foreach (var c in word)
            {
                hash = unchecked(hash * 31 + c);
            }
            vector[(hash & int.MaxValue) % Dimensions] += 1;
        }
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }
}
