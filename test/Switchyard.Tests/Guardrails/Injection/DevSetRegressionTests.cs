using Switchyard.Embeddings;
using Switchyard.Guardrails.Injection;
using Xunit;

namespace Switchyard.Tests.Guardrails.Injection;

/// <summary>
/// Runs the detector over the shared dev set (shared/data/guardrails/injection.jsonl, beside the
/// repository). The model was trained on these rows, so this is a regression guard on in-sample
/// figures, not a measure of quality: the cross-validated figures are in
/// docs/guardrails-injection-figures.md. The heuristics run over every row; the classifier over
/// every fourth row, because embedding all 996 takes minutes on a loaded two-core runner.
/// </summary>
public sealed class DevSetRegressionTests
{
    private static string? DevSet()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "shared", "data", "guardrails", "injection.jsonl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    [Fact]
    public void The_dev_set_figures_do_not_regress()
    {
        string? path = DevSet();
        Assert.SkipWhen(path is null, "shared/data/guardrails/injection.jsonl is not beside the repository");
        IReadOnlyList<LabelledText> rows = InjectionEvaluation.Load(path!);
        InjectionEvaluation heuristics = InjectionEvaluation.Run(rows, r => InjectionDetector.IsInjection(InjectionDetector.Shared.Score(r.Text, null, InjectionContent.UserTurn)));

        LabelledText[] sample = [.. rows.Where((_, i) => i % 4 == 0)];
        float[][] embeddings = MiniLmEmbedder.Shared.EmbedBatch([.. sample.Select(r => r.Text)], CancellationToken.None);
        int index = 0;
        InjectionEvaluation classifier = InjectionEvaluation.Run(sample, r => InjectionDetector.IsInjection(InjectionDetector.Shared.Score(r.Text, embeddings[index++], InjectionContent.UserTurn)));

        string report = $"heuristics: {heuristics.Overall}\nclassifier: {classifier.Report()}";
        // Reached when written: heuristics R=0.605 FPR=0.007 over all rows; classifier R=0.738 FPR=0.021 over all rows.
        Assert.True(heuristics.Overall.FalsePositiveRate <= 0.015, report);
        Assert.True(heuristics.Overall.Recall >= 0.59, report);
        Assert.True(classifier.Overall.FalsePositiveRate <= 0.03, report);
        Assert.True(classifier.Overall.Recall >= 0.68, report);
        Assert.True(classifier.Overall.BalancedAccuracy >= 0.83, report);
    }

    [Fact]
    public void The_evaluator_agrees_with_score_py_on_a_tiny_set()
    {
        LabelledText[] rows =
        [
            new("a", 1, "x:1", "s"), new("b", 1, "x:2", "s"), new("c", 0, "y", "s"), new("d", 0, "y", "s"), new("e", 0, "z", "s"),
        ];
        InjectionEvaluation evaluation = InjectionEvaluation.FromPredictions(rows, [true, false, true, false, false]);
        Assert.Equal(0.5, evaluation.Overall.Precision);
        Assert.Equal(0.5, evaluation.Overall.Recall);
        Assert.Equal(1.0 / 3, evaluation.Overall.FalsePositiveRate, 6);
        Assert.Equal((0.5 + (2.0 / 3)) / 2, evaluation.Overall.BalancedAccuracy, 6);
        Assert.Equal(["x", "y", "z"], evaluation.PerCategory.Keys);
        using var writer = new StringWriter();
        evaluation.WritePredictions(rows, writer);
        Assert.StartsWith("{\"text\":\"a\",\"pred\":1}", writer.ToString(), StringComparison.Ordinal);
    }
}
