using System.Text;
using System.Text.Json;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Measures a <see cref="PiiDetector"/> on labelled texts with the matching rule of the reference scorer
/// (shared/data/guardrails/score.py), so figures from C# and from Python agree: per gold entity in order,
/// the first unused prediction of the same type that has the same span (exact) or covers at least half of
/// the gold span (overlap) is its match; unmatched gold entities are misses and unmatched predictions are
/// false positives of their own type. Offsets are compared in code points, converted from the detector's
/// UTF-16 offsets.
/// </summary>
internal sealed class PiiEvaluation(PiiDetector detector)
{
    /// <summary>Reads JSONL rows of the form {"text", "entities": [{"type", "start", "end"}]}; other fields are ignored.</summary>
    public static IReadOnlyList<PiiLabelledText> Load(string path)
    {
        var rows = new List<PiiLabelledText>();
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            var entities = new List<PiiSpan>();
            if (root.TryGetProperty("entities", out JsonElement list))
            {
                foreach (JsonElement e in list.EnumerateArray())
                {
                    entities.Add(new PiiSpan(e.GetProperty("type").GetString()!, e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32()));
                }
            }

            rows.Add(new PiiLabelledText(root.GetProperty("text").GetString()!, entities));
        }

        return rows;
    }

    /// <summary>
    /// Runs the detector over every row (all types) and scores the result; <paramref name="types"/>, when
    /// given, restricts scoring to those types as the scorer's --types option does.
    /// </summary>
    public PiiEvaluationReport Evaluate(IReadOnlyList<PiiLabelledText> rows, IReadOnlySet<string>? types = null)
    {
        var predictions = new List<PiiLabelledText>(rows.Count);
        foreach (PiiLabelledText row in rows)
        {
            predictions.Add(new PiiLabelledText(row.Text, ToCodePoints(row.Text, detector.Find(row.Text))));
        }

        return Score(rows, predictions, types);
    }

    /// <summary>Scores <paramref name="predictions"/> (row for row with <paramref name="gold"/>) as score.py does.</summary>
    public static PiiEvaluationReport Score(IReadOnlyList<PiiLabelledText> gold, IReadOnlyList<PiiLabelledText> predictions,
        IReadOnlySet<string>? types = null)
    {
        var exact = new Dictionary<string, int[]>();
        var overlap = new Dictionary<string, int[]>();
        int negatives = 0;
        int negativesHit = 0;

        // score.py pairs a gold row with the last prediction that has the same text, else the one at its index.
        var byText = new Dictionary<string, PiiLabelledText>();
        foreach (PiiLabelledText p in predictions)
        {
            byText[p.Text] = p;
        }

        for (int r = 0; r < gold.Count; r++)
        {
            PiiLabelledText g = gold[r];
            PiiLabelledText? p = byText.GetValueOrDefault(g.Text) ?? (r < predictions.Count ? predictions[r] : null);
            List<PiiSpan> ge = [.. g.Entities.Where(e => types is null || types.Contains(e.Type))];
            List<PiiSpan> pe = p is null ? [] : [.. p.Entities.Where(e => types is null || types.Contains(e.Type))];
            if (g.Entities.Count == 0)
            {
                negatives++;
                negativesHit += pe.Count > 0 ? 1 : 0;
            }

            Match(ge, pe, exactMode: true, exact);
            Match(ge, pe, exactMode: false, overlap);
        }

        return new PiiEvaluationReport(ToScores(exact), ToScores(overlap), negatives, negativesHit, predictions);
    }

    private static void Match(List<PiiSpan> gold, List<PiiSpan> predicted, bool exactMode, Dictionary<string, int[]> counts)
    {
        var used = new bool[predicted.Count];
        foreach (PiiSpan e in gold)
        {
            int hit = -1;
            for (int j = 0; j < predicted.Count; j++)
            {
                PiiSpan q = predicted[j];
                if (used[j] || q.Type != e.Type)
                {
                    continue;
                }

                bool matches = exactMode
                    ? q.Start == e.Start && q.End == e.End
                    : Math.Min(e.End, q.End) - Math.Max(e.Start, q.Start) >= 0.5 * (e.End - e.Start);
                if (matches)
                {
                    hit = j;
                    break;
                }
            }

            int[] c = Counts(counts, e.Type);
            if (hit < 0)
            {
                c[2]++;
            }
            else
            {
                used[hit] = true;
                c[0]++;
            }
        }

        for (int j = 0; j < predicted.Count; j++)
        {
            if (!used[j])
            {
                Counts(counts, predicted[j].Type)[1]++;
            }
        }
    }

    private static int[] Counts(Dictionary<string, int[]> counts, string type)
    {
        if (!counts.TryGetValue(type, out int[]? c))
        {
            c = new int[3];
            counts[type] = c;
        }

        return c;
    }

    private static SortedDictionary<string, PiiTypeScore> ToScores(Dictionary<string, int[]> counts)
    {
        var scores = new SortedDictionary<string, PiiTypeScore>(StringComparer.Ordinal);
        foreach ((string type, int[] c) in counts)
        {
            scores[type] = new PiiTypeScore(c[0], c[1], c[2]);
        }

        return scores;
    }

    /// <summary>Converts UTF-16 entities to code-point spans (a surrogate pair is one code point, a lone surrogate one).</summary>
    public static List<PiiSpan> ToCodePoints(string text, IReadOnlyList<PiiEntity> entities)
    {
        var spans = new List<PiiSpan>(entities.Count);
        if (entities.Count == 0)
        {
            return spans;
        }

        int[] codePointAt = CodePointIndex(text);
        foreach (PiiEntity e in entities)
        {
            spans.Add(new PiiSpan(e.Type, codePointAt[e.Start], codePointAt[e.End]));
        }

        return spans;
    }

    /// <summary>Converts a code-point span of <paramref name="text"/> to UTF-16 start and length.</summary>
    public static (int Start, int Length) ToUtf16(string text, PiiSpan span)
    {
        int[] codePointAt = CodePointIndex(text);
        int start = Array.IndexOf(codePointAt, span.Start);
        int end = Array.IndexOf(codePointAt, span.End);
        return (start, end - start);
    }

    /// <summary>For each UTF-16 index 0..Length, the number of code points before it.</summary>
    private static int[] CodePointIndex(string text)
    {
        var map = new int[text.Length + 1];
        int cp = 0;
        for (int i = 0; i < text.Length; i++)
        {
            map[i] = cp;
            bool pairStart = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pairStart)
            {
                // The low half of a pair sits inside the same code point; an entity never starts there.
                map[i + 1] = cp;
                i++;
            }

            cp++;
        }

        map[text.Length] = cp;
        return map;
    }

    /// <summary>Writes predictions as score.py reads them: one {"text", "entities": [{"type","start","end"}]} per line.</summary>
    public static void WritePredictions(string path, IReadOnlyList<PiiLabelledText> predictions)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
        foreach (PiiLabelledText p in predictions)
        {
            writer.WriteStartObject();
            writer.WriteString("text", p.Text);
            writer.WriteStartArray("entities");
            foreach (PiiSpan e in p.Entities)
            {
                writer.WriteStartObject();
                writer.WriteString("type", e.Type);
                writer.WriteNumber("start", e.Start);
                writer.WriteNumber("end", e.End);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset();
        }
    }

    /// <summary>A table like the scorer's output: one line per type with P, R, F1 and the counts.</summary>
    public static string Format(PiiEvaluationReport report)
    {
        var sb = new StringBuilder();
        foreach ((string mode, IReadOnlyDictionary<string, PiiTypeScore> scores) in new[] { ("exact", report.Exact), ("overlap", report.Overlap) })
        {
            sb.Append('[').Append(mode).AppendLine("]");
            foreach ((string type, PiiTypeScore s) in scores)
            {
                sb.AppendLine(System.FormattableString.Invariant(
                    $"  {type,-20} P={s.Precision:F3} R={s.Recall:F3} F1={s.F1:F3} (tp={s.TruePositives} fp={s.FalsePositives} fn={s.FalseNegatives})"));
            }
        }

        sb.AppendLine(System.FormattableString.Invariant(
            $"texts without gold entities that got >=1 prediction: {report.NegativeTextsWithPredictions}/{report.NegativeTexts}"));
        return sb.ToString();
    }
}
