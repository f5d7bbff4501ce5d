using System.Text.Json;

namespace Switchyard.Guardrails.Injection;

/// <summary>
/// Measures a detector on labelled rows the way <c>score.py</c> does (precision, recall, F1, FPR,
/// balanced accuracy, overall and per category family and label), and writes the prediction lines
/// score.py reads, so the C# figures can be checked against the reference scorer.
/// </summary>
internal sealed class InjectionEvaluation
{
    private InjectionEvaluation(InjectionMetrics overall, IReadOnlyDictionary<string, InjectionMetrics> perCategory, IReadOnlyList<bool> predictions)
    {
        Overall = overall;
        PerCategory = perCategory;
        Predictions = predictions;
    }

    public InjectionMetrics Overall { get; }

    /// <summary>Per category family (the category up to its first colon).</summary>
    public IReadOnlyDictionary<string, InjectionMetrics> PerCategory { get; }

    /// <summary>The prediction for each row, in order.</summary>
    public IReadOnlyList<bool> Predictions { get; }

    /// <summary>Reads a JSONL file of <c>{"text", "label", "category", "source"}</c> rows.</summary>
    public static IReadOnlyList<LabelledText> Load(string path)
    {
        var rows = new List<LabelledText>();
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            rows.Add(new LabelledText(
                root.GetProperty("text").GetString() ?? "",
                root.GetProperty("label").GetInt32(),
                root.TryGetProperty("category", out JsonElement category) ? category.GetString() ?? "?" : "?",
                root.TryGetProperty("source", out JsonElement source) ? source.GetString() ?? "?" : "?"));
        }

        return rows;
    }

    /// <summary>Runs <paramref name="predict"/> over every row and counts.</summary>
    public static InjectionEvaluation Run(IReadOnlyList<LabelledText> rows, Func<LabelledText, bool> predict)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(predict);
        var predictions = new bool[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            predictions[i] = predict(rows[i]);
        }

        return FromPredictions(rows, predictions);
    }

    /// <summary>Counts predictions already made, one per row in order.</summary>
    public static InjectionEvaluation FromPredictions(IReadOnlyList<LabelledText> rows, IReadOnlyList<bool> predictions)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(predictions);
        if (rows.Count != predictions.Count)
        {
            throw new ArgumentException("One prediction per row.", nameof(predictions));
        }

        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var overall = new int[4];
        for (int i = 0; i < rows.Count; i++)
        {
            int cell = (rows[i].Label == 1, predictions[i]) switch
            {
                (true, true) => 0,
                (false, true) => 1,
                (true, false) => 2,
                _ => 3,
            };
            overall[cell]++;
            if (!counts.TryGetValue(rows[i].Family, out int[]? family))
            {
                family = new int[4];
                counts[rows[i].Family] = family;
            }

            family[cell]++;
        }

        var perCategory = counts
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .ToDictionary(c => c.Key, c => new InjectionMetrics(c.Value[0], c.Value[1], c.Value[2], c.Value[3]), StringComparer.Ordinal);
        return new InjectionEvaluation(new InjectionMetrics(overall[0], overall[1], overall[2], overall[3]), perCategory, predictions);
    }

    /// <summary>Writes <c>{"text", "pred"}</c> lines, the format <c>score.py injection</c> reads.</summary>
    public void WritePredictions(IReadOnlyList<LabelledText> rows, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(writer);
        for (int i = 0; i < rows.Count; i++)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("text", rows[i].Text);
                json.WriteNumber("pred", Predictions[i] ? 1 : 0);
                json.WriteEndObject();
            }

            writer.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }

    /// <summary>A report in score.py's layout: the overall line, then accuracy per family and label.</summary>
    public string Report()
    {
        var lines = new List<string> { Overall.ToString() };
        foreach ((string family, InjectionMetrics metrics) in PerCategory)
        {
            int positives = metrics.TruePositives + metrics.FalseNegatives;
            int negatives = metrics.FalsePositives + metrics.TrueNegatives;
            if (positives > 0)
            {
                lines.Add($"  {family,-40} label=1 acc={metrics.Recall:F3} (n={positives})");
            }

            if (negatives > 0)
            {
                lines.Add($"  {family,-40} label=0 acc={1 - metrics.FalsePositiveRate:F3} (n={negatives})");
            }
        }

        return string.Join('\n', lines);
    }
}
