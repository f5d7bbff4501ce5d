using System.Text.Json;

namespace Switchyard.Guardrails.Evaluation;

/// <summary>
/// Scores a detector on a labelled set the way the reference scorer of the shared development data does
/// (<c>score.py</c>): precision, recall, F1, false-positive rate and balanced accuracy for decisions,
/// overall and per category (the part of <c>category</c> before the first colon); per entity type
/// precision, recall and F1 for spans, matched exactly and by overlap (at least half the labelled span).
/// </summary>
internal static class GuardEvaluation
{
    /// <summary>The rows of a JSONL file, or the problem with the first bad line.</summary>
    public static List<LabelledRow> Read(string path, bool spans)
    {
        var rows = new List<LabelledRow>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var text = root.GetProperty("text").GetString() ?? throw new FormatException("text is null");
                var category = root.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "?";
                if (spans)
                {
                    var entities = root.GetProperty("entities").EnumerateArray()
                        .Select(e => new LabelledSpan(e.GetProperty("type").GetString()!, e.GetProperty("start").GetInt32(), e.GetProperty("end").GetInt32())).ToList();
                    rows.Add(new LabelledRow(text, null, category, entities));
                }
                else
                {
                    rows.Add(new LabelledRow(text, root.GetProperty("label").GetInt32(), category, null));
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"{path}:{number}: expected {(spans ? "{\"text\", \"entities\": [{\"type\",\"start\",\"end\"}]}" : "{\"text\", \"label\": 0|1}")} ({ex.Message})", ex);
            }
        }

        return rows;
    }

    /// <summary>Overall and per-category counts; a category is named by its prefix and the label it holds.</summary>
    public static (BinaryScore All, SortedDictionary<string, BinaryScore> Categories) Decisions(IReadOnlyList<LabelledRow> rows, IReadOnlyList<bool> predicted)
    {
        var all = new BinaryScore();
        var categories = new SortedDictionary<string, BinaryScore>(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var label = rows[i].Label == 1;
            all.Add(label, predicted[i]);
            var name = $"{rows[i].Category.Split(':')[0]} (label {(label ? 1 : 0)})";
            if (!categories.TryGetValue(name, out var score))
            {
                score = categories[name] = new BinaryScore();
            }

            score.Add(label, predicted[i]);
        }

        return (all, categories);
    }

    /// <summary>Per entity type, by exact span and by overlap; and how many texts with no labelled entity got one.</summary>
    public static (SortedDictionary<string, SpanScore> Exact, SortedDictionary<string, SpanScore> Overlap, int FalseTexts, int EmptyTexts) Spans(
        IReadOnlyList<LabelledRow> rows, IReadOnlyList<IReadOnlyList<LabelledSpan>> predicted, IReadOnlySet<string>? types = null)
    {
        var exact = new SortedDictionary<string, SpanScore>(StringComparer.Ordinal);
        var overlap = new SortedDictionary<string, SpanScore>(StringComparer.Ordinal);
        int falseTexts = 0, emptyTexts = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var gold = rows[i].Entities!.Where(e => types is null || types.Contains(e.Type)).ToList();
            var found = predicted[i].Where(e => types is null || types.Contains(e.Type)).ToList();
            if (rows[i].Entities!.Count == 0)
            {
                emptyTexts++;
                falseTexts += found.Count > 0 ? 1 : 0;
            }

            Match(gold, found, exact, byOverlap: false);
            Match(gold, found, overlap, byOverlap: true);
        }

        return (exact, overlap, falseTexts, emptyTexts);
    }

    /// <summary>Each labelled span takes the first unused found span of its type that matches, as score.py does.</summary>
    private static void Match(List<LabelledSpan> gold, List<LabelledSpan> found, SortedDictionary<string, SpanScore> scores, bool byOverlap)
    {
        var used = new HashSet<int>();
        foreach (var g in gold)
        {
            var hit = -1;
            for (var j = 0; j < found.Count && hit < 0; j++)
            {
                var f = found[j];
                if (used.Contains(j) || f.Type != g.Type)
                {
                    continue;
                }

                var matches = byOverlap
                    ? Math.Min(g.End, f.End) - Math.Max(g.Start, f.Start) >= 0.5 * (g.End - g.Start)
                    : f.Start == g.Start && f.End == g.End;
                if (matches)
                {
                    hit = j;
                }
            }

            var score = Of(scores, g.Type);
            if (hit < 0)
            {
                score.FalseNegatives++;
            }
            else
            {
                used.Add(hit);
                score.TruePositives++;
            }
        }

        for (var j = 0; j < found.Count; j++)
        {
            if (!used.Contains(j))
            {
                Of(scores, found[j].Type).FalsePositives++;
            }
        }
    }

    private static SpanScore Of(SortedDictionary<string, SpanScore> scores, string type)
    {
        if (!scores.TryGetValue(type, out var score))
        {
            score = scores[type] = new SpanScore();
        }

        return score;
    }
}
