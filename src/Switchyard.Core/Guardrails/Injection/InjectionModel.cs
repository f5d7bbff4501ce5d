using System.Globalization;
using System.Text.Json;

namespace Switchyard.Guardrails.Injection;

/// <summary>
/// The trained weights: a logistic regression over the MiniLM embedding of the raw text followed
/// by the heuristic family strengths and score, and the cut-offs chosen on cross-validation.
/// Written by <c>eng/train-injection</c>; loaded from the embedded <c>injection-model.json</c>.
/// </summary>
internal sealed class InjectionModel
{
    private const string ResourceName = "Switchyard.Guardrails.Injection.injection-model.json";

    private static readonly Lazy<InjectionModel> s_embedded = new(LoadEmbedded);

    public InjectionModel(float[] weights, double bias, int dimensions, double classifierThreshold, double heuristicThreshold, double dataClassifierThreshold, double dataHeuristicThreshold)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Length != dimensions + InjectionHeuristics.FamilyNames.Length + 1)
        {
            throw new ArgumentException($"Expected {dimensions + InjectionHeuristics.FamilyNames.Length + 1} weights, got {weights.Length}.", nameof(weights));
        }

        Weights = weights;
        Bias = bias;
        Dimensions = dimensions;
        ClassifierThreshold = classifierThreshold;
        HeuristicThreshold = heuristicThreshold;
        DataClassifierThreshold = dataClassifierThreshold;
        DataHeuristicThreshold = dataHeuristicThreshold;
    }

    /// <summary>The model shipped in the assembly.</summary>
    public static InjectionModel Embedded => s_embedded.Value;

    /// <summary>Embedding weights, then one per heuristic family, then one for the heuristic score.</summary>
    public float[] Weights { get; }

    public double Bias { get; }

    public int Dimensions { get; }

    /// <summary>Classifier probability at which a user turn is flagged.</summary>
    public double ClassifierThreshold { get; }

    /// <summary>Heuristic score at which a user turn is flagged when there is no embedding.</summary>
    public double HeuristicThreshold { get; }

    /// <summary>Classifier probability at which data (tool results, documents) is flagged.</summary>
    public double DataClassifierThreshold { get; }

    /// <summary>Heuristic score at which data is flagged when there is no embedding.</summary>
    public double DataHeuristicThreshold { get; }

    /// <summary>The features the weights apply to, in order.</summary>
    public static float[] Features(ReadOnlySpan<float> embedding, HeuristicMatch heuristics)
    {
        ArgumentNullException.ThrowIfNull(heuristics);
        var features = new float[embedding.Length + heuristics.Families.Length + 1];
        embedding.CopyTo(features);
        for (int i = 0; i < heuristics.Families.Length; i++)
        {
            features[embedding.Length + i] = (float)heuristics.Families[i];
        }

        features[^1] = (float)heuristics.Score;
        return features;
    }

    /// <summary>The probability that the features are an attack's.</summary>
    public double Probability(ReadOnlySpan<float> features)
    {
        if (features.Length != Weights.Length)
        {
            throw new ArgumentException($"Expected {Weights.Length} features, got {features.Length}.", nameof(features));
        }

        double z = Bias;
        for (int i = 0; i < features.Length; i++)
        {
            z += Weights[i] * features[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Reads the JSON the training script writes.</summary>
    public static InjectionModel Parse(Stream json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        float[] weights = root.GetProperty("weights").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        return new InjectionModel(
            weights,
            root.GetProperty("bias").GetDouble(),
            root.GetProperty("dimensions").GetInt32(),
            root.GetProperty("classifier_threshold").GetDouble(),
            root.GetProperty("heuristic_threshold").GetDouble(),
            root.GetProperty("data_classifier_threshold").GetDouble(),
            root.GetProperty("data_heuristic_threshold").GetDouble());
    }

    /// <summary>Writes the JSON <see cref="Parse"/> reads.</summary>
    public void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> notes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(notes);
        writer.WriteStartObject();
        foreach ((string key, string value) in notes)
        {
            writer.WriteString(key, value);
        }

        writer.WriteNumber("dimensions", Dimensions);
        writer.WriteNumber("bias", Math.Round(Bias, 6));
        writer.WriteNumber("classifier_threshold", Math.Round(ClassifierThreshold, 4));
        writer.WriteNumber("heuristic_threshold", Math.Round(HeuristicThreshold, 4));
        writer.WriteNumber("data_classifier_threshold", Math.Round(DataClassifierThreshold, 4));
        writer.WriteNumber("data_heuristic_threshold", Math.Round(DataHeuristicThreshold, 4));
        writer.WriteStartArray("weights");
        foreach (float weight in Weights)
        {
            writer.WriteRawValue(weight.ToString("G6", CultureInfo.InvariantCulture));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static InjectionModel LoadEmbedded()
    {
        using Stream stream = typeof(InjectionModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no resource {ResourceName}; run eng/train-injection.");
        return Parse(stream);
    }
}
