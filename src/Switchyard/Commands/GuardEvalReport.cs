using System.Globalization;
using System.Text.Json;
using Switchyard.Guardrails.Evaluation;

namespace Switchyard.Cli.Commands;

/// <summary>What <c>switchyard guard eval</c> prints: a table for people, or JSON for a CI step to read.</summary>
internal static class GuardEvalReport
{
    public static async Task DecisionsAsync(TextWriter output, (BinaryScore All, SortedDictionary<string, BinaryScore> Categories) scores, TimeSpan elapsed, bool json)
    {
        var (all, categories) = scores;
        if (json)
        {
            await output.WriteLineAsync(Json(w =>
            {
                Decision(w, all);
                w.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 2));
                w.WriteStartObject("categories");
                foreach (var (name, score) in categories)
                {
                    w.WriteStartObject(name);
                    Decision(w, score);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            })).ConfigureAwait(false);
            return;
        }

        await output.WriteLineAsync($"n={all.Count}  precision={F(all.Precision)}  recall={F(all.Recall)}  F1={F(all.F1)}  balanced accuracy={F(all.BalancedAccuracy)}  false-positive rate={F(all.FalsePositiveRate)}  ({all.TruePositives} tp, {all.FalsePositives} fp, {all.FalseNegatives} fn, {all.TrueNegatives} tn; {elapsed.TotalSeconds:0.0} s)").ConfigureAwait(false);
        var table = new TextTable(["category", "n", "accuracy", "recall", "false-positive rate"]).AlignRight(1, 2, 3, 4);
        foreach (var (name, score) in categories)
        {
            var positives = score.TruePositives + score.FalseNegatives > 0;
            table.Add(name, score.Count.ToString(CultureInfo.InvariantCulture), F(score.Accuracy), positives ? F(score.Recall) : "", positives ? "" : F(score.FalsePositiveRate));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
    }

    public static async Task SpansAsync(TextWriter output, (SortedDictionary<string, SpanScore> Exact, SortedDictionary<string, SpanScore> Overlap, int FalseTexts, int EmptyTexts) scores, int rows, TimeSpan elapsed, bool json)
    {
        if (json)
        {
            await output.WriteLineAsync(Json(w =>
            {
                w.WriteNumber("n", rows);
                w.WriteNumber("seconds", Math.Round(elapsed.TotalSeconds, 2));
                foreach (var (mode, byType) in (ReadOnlySpan<(string, SortedDictionary<string, SpanScore>)>)[("exact", scores.Exact), ("overlap", scores.Overlap)])
                {
                    w.WriteStartObject(mode);
                    foreach (var (type, s) in byType)
                    {
                        w.WriteStartObject(type);
                        w.WriteNumber("precision", Math.Round(s.Precision, 4));
                        w.WriteNumber("recall", Math.Round(s.Recall, 4));
                        w.WriteNumber("f1", Math.Round(s.F1, 4));
                        w.WriteNumber("tp", s.TruePositives);
                        w.WriteNumber("fp", s.FalsePositives);
                        w.WriteNumber("fn", s.FalseNegatives);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }

                w.WriteNumber("texts_without_entities_flagged", scores.FalseTexts);
                w.WriteNumber("texts_without_entities", scores.EmptyTexts);
            })).ConfigureAwait(false);
            return;
        }

        await output.WriteLineAsync($"n={rows} ({elapsed.TotalSeconds:0.0} s); spans matched exactly, and by overlap (at least half of the labelled span)").ConfigureAwait(false);
        var table = new TextTable(["entity type", "precision", "recall", "F1", "tp", "fp", "fn", "overlap precision", "overlap recall"]).AlignRight(1, 2, 3, 4, 5, 6, 7, 8);
        foreach (var (type, s) in scores.Exact)
        {
            var o = scores.Overlap.GetValueOrDefault(type) ?? new SpanScore();
            table.Add(type, F(s.Precision), F(s.Recall), F(s.F1), I(s.TruePositives), I(s.FalsePositives), I(s.FalseNegatives), F(o.Precision), F(o.Recall));
        }

        await table.WriteAsync(output).ConfigureAwait(false);
        await output.WriteLineAsync($"texts without labelled entities that got one: {scores.FalseTexts}/{scores.EmptyTexts}").ConfigureAwait(false);
    }

    private static void Decision(Utf8JsonWriter w, BinaryScore s)
    {
        w.WriteNumber("n", s.Count);
        w.WriteNumber("precision", Math.Round(s.Precision, 4));
        w.WriteNumber("recall", Math.Round(s.Recall, 4));
        w.WriteNumber("f1", Math.Round(s.F1, 4));
        w.WriteNumber("balanced_accuracy", Math.Round(s.BalancedAccuracy, 4));
        w.WriteNumber("false_positive_rate", Math.Round(s.FalsePositiveRate, 4));
        w.WriteNumber("accuracy", Math.Round(s.Accuracy, 4));
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
