using System.Globalization;

namespace Switchyard.Guardrails.Groundedness;

/// <summary>
/// Decides, sentence by sentence, whether an answer is backed by the context it was given (documents,
/// tool results): its numbers and dates must appear in the context, its names must be made of words the
/// context uses, and, when an embedding function is supplied, it must be close in meaning to some
/// chunk of the context. A cheap local signal, not proof: a paraphrase with a number spelled out, or a
/// true fact from the model's own knowledge, counts as unsupported. Thread-safe.
/// </summary>
internal sealed class GroundednessChecker
{
    /// <summary>The default least cosine between a sentence and its best context chunk.</summary>
    public const double DefaultSimilarityThreshold = 0.5;

    /// <summary>Sentences of the answer checked; later ones are counted as skipped.</summary>
    public const int MaxSentences = 200;

    /// <summary>Context chunks embedded; context past them is still searched for numbers and names.</summary>
    public const int MaxContextChunks = 256;

    /// <summary>Characters read of the answer and of all contexts together (1 MiB each).</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>
    /// A context chunk is one sentence, or consecutive short ones until they reach this many words: a
    /// sentence compared with a paragraph scores low even when the paragraph states it.
    /// </summary>
    public const int ChunkWords = 12;

    private const int MinimumWords = 4;

    private readonly Func<IReadOnlyList<string>, CancellationToken, Task<float[][]>>? _embed;

    /// <param name="embed">
    /// Embeds texts into unit vectors, one per text in order (cosine is then the dot product); null
    /// checks numbers, dates and names only. The checker never loads a model itself.
    /// </param>
    /// <param name="similarityThreshold">The least best-chunk cosine for a sentence to count as supported.</param>
    public GroundednessChecker(Func<IReadOnlyList<string>, CancellationToken, Task<float[][]>>? embed = null, double similarityThreshold = DefaultSimilarityThreshold)
    {
        _embed = embed;
        SimilarityThreshold = similarityThreshold;
    }

    public double SimilarityThreshold { get; }

    /// <summary>Checks <paramref name="answer"/> against <paramref name="contexts"/>.</summary>
    public async Task<GroundednessReport> CheckAsync(IReadOnlyList<string> contexts, string? answer, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return new([], 0, 0);
        }
        var text = answer.Length > MaxChars ? answer[..MaxChars] : answer;
        var context = JoinContexts(contexts);
        var facts = new ContextFacts(context);

        var all = SentenceSplitter.Split(text, int.MaxValue);
        var checkedSpans = new List<TextSpan>();
        var skipped = 0;
        foreach (var span in all)
        {
            var sentence = text.AsSpan(span.Start, span.Length);
            if (checkedSpans.Count >= MaxSentences || sentence.TrimEnd("\"')]”’ ").EndsWith("?") || CountWords(sentence) < MinimumWords)
            {
                skipped++;
                continue;
            }
            checkedSpans.Add(span);
        }

        var reasons = checkedSpans.Select(span => facts.Check(text.Substring(span.Start, span.Length))).ToList();
        var similarities = _embed is null || checkedSpans.Count == 0
            ? null
            : await SimilaritiesAsync(contexts, text, checkedSpans, cancellationToken).ConfigureAwait(false);

        var verdicts = new List<SentenceVerdict>(checkedSpans.Count);
        var unsupported = 0;
        for (var i = 0; i < checkedSpans.Count; i++)
        {
            double? similarity = similarities?[i];
            if (similarity is { } s && s < SimilarityThreshold)
            {
                reasons[i].Add(string.Create(CultureInfo.InvariantCulture, $"similarity {s:0.00} below {SimilarityThreshold:0.00}"));
            }
            var supported = reasons[i].Count == 0;
            unsupported += supported ? 0 : 1;
            verdicts.Add(new(checkedSpans[i].Start, checkedSpans[i].Length, supported, reasons[i], similarity));
        }
        var share = verdicts.Count == 0 ? 0 : unsupported / (double)verdicts.Count;
        return new(verdicts, share, skipped);
    }

    private async Task<double[]> SimilaritiesAsync(IReadOnlyList<string> contexts, string text, List<TextSpan> sentences, CancellationToken cancellationToken)
    {
        var chunks = Chunks(contexts);
        if (chunks.Count == 0)
        {
            return new double[sentences.Count];
        }
        var inputs = new List<string>(sentences.Count + chunks.Count);
        inputs.AddRange(sentences.Select(span => text.Substring(span.Start, span.Length)));
        inputs.AddRange(chunks);
        var vectors = await _embed!(inputs, cancellationToken).ConfigureAwait(false);
        if (vectors is null || vectors.Length != inputs.Count)
        {
            throw new InvalidOperationException($"The embedding function returned {vectors?.Length ?? 0} vectors for {inputs.Count} texts.");
        }
        var best = new double[sentences.Count];
        for (var i = 0; i < sentences.Count; i++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < chunks.Count; j++)
            {
                max = Math.Max(max, Dot(vectors[i], vectors[sentences.Count + j]));
            }
            best[i] = max;
        }
        return best;
    }

    /// <summary>Context sentences, short ones packed to at least <see cref="ChunkWords"/> words, never across documents.</summary>
    private static List<string> Chunks(IReadOnlyList<string> contexts)
    {
        var chunks = new List<string>();
        var budget = MaxChars;
        foreach (var context in contexts)
        {
            if (string.IsNullOrWhiteSpace(context) || budget <= 0)
            {
                continue;
            }
            var document = context.Length > budget ? context[..budget] : context;
            budget -= document.Length;
            var start = -1;
            var end = 0;
            var words = 0;
            foreach (var sentence in SentenceSplitter.Split(document, MaxContextChunks * 4))
            {
                if (start < 0)
                {
                    start = sentence.Start;
                }
                end = sentence.End;
                words += CountWords(document.AsSpan(sentence.Start, sentence.Length));
                if (words >= ChunkWords)
                {
                    chunks.Add(document[start..end]);
                    start = -1;
                    words = 0;
                }
                if (chunks.Count >= MaxContextChunks)
                {
                    return chunks;
                }
            }
            if (start >= 0)
            {
                chunks.Add(document[start..end]);
            }
            if (chunks.Count >= MaxContextChunks)
            {
                return chunks[..MaxContextChunks];
            }
        }
        return chunks;
    }

    private static string JoinContexts(IReadOnlyList<string> contexts)
    {
        var joined = string.Join("\n", contexts.Where(c => !string.IsNullOrEmpty(c)));
        return joined.Length > MaxChars ? joined[..MaxChars] : joined;
    }

    private static int CountWords(ReadOnlySpan<char> text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var letter = char.IsLetterOrDigit(c);
            if (letter && !inWord)
            {
                words++;
            }
            inWord = letter;
        }
        return words;
    }

    private static double Dot(float[] a, float[] b)
    {
        var n = Math.Min(a.Length, b.Length);
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
