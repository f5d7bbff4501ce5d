using Switchyard.Hosting;

namespace Switchyard.Prompts.Experiments;

/// <summary>
/// The tests behind experiment and rollout verdicts. Rates use the Newcombe hybrid score interval (method 10,
/// built from two Wilson intervals, which stays inside [-1, 1] and behaves at rates near 0 that error rates
/// live at) and the pooled two-proportion z-test. Latency, cost and tokens are skewed and heavy-tailed, so
/// they get a percentile bootstrap interval for the difference of means or medians and the Mann–Whitney U
/// test (normal approximation with tie and continuity correction, as scipy's asymptotic method).
/// <para>
/// Peeking: dashboards are refreshed and rollouts re-evaluated every few minutes, and a fixed-horizon p-value
/// checked that often crosses alpha by chance far more than alpha of the time. Two guards: no verdict before
/// the minimum sample per variant (a fixed horizon), and for rates an always-valid p-value from the mixture
/// sequential probability ratio test (mSPRT, Johari et al. 2017, normal approximation with a normal mixing
/// distribution of variance tau²), which may be looked at after every call. The p-value returned is 1/Λ at
/// the current sample, not the running minimum over all past looks: that needs history the report does not
/// keep, and it is the more conservative of the two.
/// </para>
/// </summary>
internal static class ExperimentStatistics
{
    /// <summary>The mixing variance of the mSPRT: effects of the order of one percentage point.</summary>
    public const double DefaultMixingVariance = 1e-4;

    /// <summary>Standard normal cumulative distribution.</summary>
    public static double NormalCdf(double z) => 0.5 * Erfc(-z / Math.Sqrt(2));

    /// <summary>The two-sided p-value of a standard normal statistic.</summary>
    public static double TwoSidedP(double z) => double.IsNaN(z) ? 1 : Math.Min(1, Erfc(Math.Abs(z) / Math.Sqrt(2)));

    /// <summary>The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).</summary>
    public static double NormalQuantile(double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(p, 1);
        ReadOnlySpan<double> a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        ReadOnlySpan<double> b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        ReadOnlySpan<double> c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        ReadOnlySpan<double> d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double Low = 0.02425;
        if (p < Low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }

        if (p > 1 - Low)
        {
            return -NormalQuantile(1 - p);
        }

        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    /// <summary>The Wilson score interval of a proportion.</summary>
    public static (double Low, double High) WilsonInterval(long successes, long n, double alpha = 0.05)
    {
        if (n <= 0)
        {
            return (0, 1);
        }

        var z = NormalQuantile(1 - alpha / 2);
        var p = (double)successes / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The difference of two proportions, <c>p2 - p1</c> (treatment minus control), with Newcombe's hybrid score
    /// interval, and the pooled two-proportion z-test.
    /// </summary>
    public static Comparison DifferenceOfProportions(long x1, long n1, long x2, long n2, double alpha = 0.05)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return new Comparison(double.NaN, double.NaN, double.NaN, 1, "two-proportion z-test");
        }

        var p1 = (double)x1 / n1;
        var p2 = (double)x2 / n2;
        var (l1, u1) = WilsonInterval(x1, n1, alpha);
        var (l2, u2) = WilsonInterval(x2, n2, alpha);
        var diff = p2 - p1;
        var low = diff - Math.Sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
        var high = diff + Math.Sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
        var pooled = (double)(x1 + x2) / (n1 + n2);
        var se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        var p = se == 0 ? 1 : TwoSidedP(diff / se);
        return new Comparison(diff, low, high, p, "two-proportion z-test");
    }

    /// <summary>
    /// The always-valid p-value of the mSPRT for <c>p2 - p1 = 0</c>, normal approximation: with
    /// <c>V = p1(1-p1)/n1 + p2(1-p2)/n2</c>, <c>Λ = sqrt(V/(V+τ²)) exp(τ² d² / (2V(V+τ²)))</c> and p = min(1, 1/Λ).
    /// </summary>
    public static double AlwaysValidProportionP(long x1, long n1, long x2, long n2, double mixingVariance = DefaultMixingVariance)
    {
        if (n1 <= 0 || n2 <= 0)
        {
            return 1;
        }

        var p1 = (double)x1 / n1;
        var p2 = (double)x2 / n2;
        // The pooled rate keeps V positive when one side has no events at all (0 errors out of n).
        var pooled = (double)(x1 + x2) / (n1 + n2);
        var v = pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2);
        if (v <= 0)
        {
            return 1;
        }

        var d = p2 - p1;
        var logLambda = 0.5 * Math.Log(v / (v + mixingVariance)) + mixingVariance * d * d / (2 * v * (v + mixingVariance));
        return Math.Min(1, Math.Exp(-logLambda));
    }

    /// <summary>Mann–Whitney U test of <paramref name="second"/> against <paramref name="first"/>, two-sided.</summary>
    public static (double U, double Z, double P) MannWhitney(IReadOnlyList<double> first, IReadOnlyList<double> second)
    {
        var n1 = first.Count;
        var n2 = second.Count;
        if (n1 == 0 || n2 == 0)
        {
            return (double.NaN, double.NaN, 1);
        }

        var all = new (double Value, bool First)[n1 + n2];
        for (var i = 0; i < n1; i++)
        {
            all[i] = (first[i], true);
        }

        for (var i = 0; i < n2; i++)
        {
            all[n1 + i] = (second[i], false);
        }

        Array.Sort(all, static (x, y) => x.Value.CompareTo(y.Value));
        double rankSumFirst = 0;
        double tieTerm = 0;
        for (var i = 0; i < all.Length;)
        {
            var j = i;
            while (j + 1 < all.Length && all[j + 1].Value == all[i].Value)
            {
                j++;
            }

            var rank = (i + j + 2) / 2.0;
            for (var k = i; k <= j; k++)
            {
                if (all[k].First)
                {
                    rankSumFirst += rank;
                }
            }

            double t = j - i + 1;
            tieTerm += t * t * t - t;
            i = j + 1;
        }

        var u1 = rankSumFirst - n1 * (n1 + 1) / 2.0;
        var n = (double)(n1 + n2);
        var mean = n1 * (double)n2 / 2;
        var sd = Math.Sqrt(n1 * (double)n2 / 12 * (n + 1 - tieTerm / (n * (n - 1))));
        if (sd == 0)
        {
            return (u1, 0, 1);
        }

        // Continuity correction towards the mean, as scipy.stats.mannwhitneyu does by default.
        var z = (u1 - mean - 0.5 * Math.Sign(u1 - mean)) / sd;
        return (u1, z, TwoSidedP(z));
    }

    /// <summary>
    /// The difference <c>statistic(second) - statistic(first)</c> with a percentile bootstrap interval
    /// (each side resampled with replacement), and the Mann–Whitney p-value.
    /// </summary>
    public static Comparison BootstrapDifference(IReadOnlyList<double> first, IReadOnlyList<double> second, bool median, RandomSource random, int resamples = 2000, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(random);
        var test = median ? "bootstrap median difference, Mann-Whitney U" : "bootstrap mean difference, Mann-Whitney U";
        if (first.Count == 0 || second.Count == 0)
        {
            return new Comparison(double.NaN, double.NaN, double.NaN, 1, test);
        }

        var observed = Statistic(second, median) - Statistic(first, median);
        var draws = new double[resamples];
        var a = new double[first.Count];
        var b = new double[second.Count];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = first[random.Next(a.Length)];
            }

            for (var i = 0; i < b.Length; i++)
            {
                b[i] = second[random.Next(b.Length)];
            }

            draws[r] = Statistic(b, median) - Statistic(a, median);
        }

        Array.Sort(draws);
        var (_, _, p) = MannWhitney(first, second);
        return new Comparison(observed, Quantile(draws, alpha / 2), Quantile(draws, 1 - alpha / 2), p, test);
    }

    /// <summary>The <paramref name="q"/> quantile of sorted values, linear between order statistics (numpy's default).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var position = q * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    /// <summary>The arithmetic mean, NaN when empty.</summary>
    public static double Mean(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (var i = 0; i < values.Count; i++)
        {
            sum += values[i];
        }

        return sum / values.Count;
    }

    private static double Statistic(IReadOnlyList<double> values, bool median)
    {
        if (!median)
        {
            return Mean(values);
        }

        var copy = values.ToArray();
        Array.Sort(copy);
        return Quantile(copy, 0.5);
    }

    // Complementary error function, Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7).
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1 / (1 + 0.5 * z);
        var r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
