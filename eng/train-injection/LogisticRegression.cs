namespace Switchyard.Training;

/// <summary>
/// L2-regularised logistic regression, fitted by full-batch Adam on the class-balanced log loss.
/// Deterministic: no sampling, so the same rows give the same weights.
/// </summary>
internal static class LogisticRegression
{
    public static (float[] Weights, double Bias) Fit(IReadOnlyList<float[]> x, IReadOnlyList<int> y, double l2 = 1e-3, int iterations = 400, double rate = 0.05)
    {
        int n = x.Count;
        int d = x[0].Length;
        double positives = y.Count(v => v == 1);
        double negatives = n - positives;
        double wPos = n / (2 * Math.Max(positives, 1));
        double wNeg = n / (2 * Math.Max(negatives, 1));
        var w = new double[d + 1];
        var m = new double[d + 1];
        var v = new double[d + 1];
        var grad = new double[d + 1];
        const double Beta1 = 0.9;
        const double Beta2 = 0.999;
        for (int t = 1; t <= iterations; t++)
        {
            Array.Clear(grad);
            for (int i = 0; i < n; i++)
            {
                float[] row = x[i];
                double z = w[d];
                for (int j = 0; j < d; j++)
                {
                    z += w[j] * row[j];
                }

                double p = 1 / (1 + Math.Exp(-z));
                double g = (p - y[i]) * (y[i] == 1 ? wPos : wNeg) / n;
                for (int j = 0; j < d; j++)
                {
                    grad[j] += g * row[j];
                }

                grad[d] += g;
            }

            for (int j = 0; j <= d; j++)
            {
                double gj = grad[j] + (j < d ? 2 * l2 * w[j] : 0);
                m[j] = (Beta1 * m[j]) + ((1 - Beta1) * gj);
                v[j] = (Beta2 * v[j]) + ((1 - Beta2) * gj * gj);
                double mHat = m[j] / (1 - Math.Pow(Beta1, t));
                double vHat = v[j] / (1 - Math.Pow(Beta2, t));
                w[j] -= rate * mHat / (Math.Sqrt(vHat) + 1e-8);
            }
        }

        return (w.Take(d).Select(value => (float)value).ToArray(), w[d]);
    }

    public static double Predict(float[] weights, double bias, float[] row)
    {
        double z = bias;
        for (int j = 0; j < row.Length; j++)
        {
            z += weights[j] * row[j];
        }

        return 1 / (1 + Math.Exp(-z));
    }
}
