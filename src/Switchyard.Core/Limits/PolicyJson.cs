using System.Globalization;
using System.Text.Json;
using Switchyard.Hosting;

namespace Switchyard.Limits;

/// <summary>
/// Limits and budgets as JSON, the same shape in the API and in storage (<see cref="LimitsView"/>,
/// <see cref="BudgetView"/>). Merging a patch reports the first problem with its path; it never throws on bad input.
/// </summary>
internal static class PolicyJson
{
    private const decimal NanoPerUsd = 1_000_000_000m;

    public static LimitsView View(RateLimits limits) => new(limits.RequestsPerMinute, limits.TokensPerMinute, limits.MaxConcurrent);

    public static BudgetView? View(Budget? budget) => budget is null ? null : new(
        (budget.AmountNanoUsd / NanoPerUsd).ToString(CultureInfo.InvariantCulture), budget.Window.ToString().ToLowerInvariant(), budget.Mode.ToString().ToLowerInvariant(), budget.AlertThresholds);

    public static string? Serialize(RateLimits limits) => limits.IsEmpty ? null : JsonSerializer.Serialize(View(limits), AdminJson.Default.LimitsView);

    public static string? Serialize(Budget? budget) => View(budget) is { } view ? JsonSerializer.Serialize(view, AdminJson.Default.BudgetView) : null;

    /// <summary>Reads what <see cref="Serialize(RateLimits)"/> wrote; stored values were validated when written.</summary>
    public static RateLimits DeserializeLimits(string? text) =>
        text is not null && Apply(JsonSerializer.Deserialize(text, AdminJson.Default.LimitsPatch), "limits", RateLimits.None, out var limits) is null ? limits : RateLimits.None;

    public static Budget? DeserializeBudget(string? text) =>
        text is not null && Apply(JsonSerializer.Deserialize(text, AdminJson.Default.BudgetPatch), "budget", null, out var budget) is null ? budget : null;

    /// <summary>
    /// Members present in <paramref name="patch"/> replace those of <paramref name="current"/> (null clears one);
    /// absent ones keep it, as in a JSON merge patch. A null patch clears every limit.
    /// </summary>
    public static string? Apply(LimitsPatch? patch, string path, RateLimits current, out RateLimits limits)
    {
        limits = RateLimits.None;
        if (patch is null)
        {
            return null;
        }

        var problem = Positive(patch.Rpm, $"{path}.rpm") ?? Positive(patch.Tpm, $"{path}.tpm") ?? Positive(patch.MaxConcurrent, $"{path}.max_concurrent")
            ?? (patch.MaxConcurrent > int.MaxValue ? $"{path}.max_concurrent: too large." : null);
        if (problem is null)
        {
            limits = new RateLimits(
                patch.Or(nameof(patch.Rpm), patch.Rpm, current.RequestsPerMinute),
                patch.Or(nameof(patch.Tpm), patch.Tpm, current.TokensPerMinute),
                (int?)patch.Or(nameof(patch.MaxConcurrent), patch.MaxConcurrent, current.MaxConcurrent));
        }

        return problem;
    }

    /// <summary>Like the limits: members absent from <paramref name="patch"/> keep <paramref name="current"/>'s values; a null patch removes the budget.</summary>
    public static string? Apply(BudgetPatch? patch, string path, Budget? current, out Budget? budget)
    {
        budget = null;
        if (patch is null)
        {
            return null;
        }

        decimal? max = current is null ? null : current.AmountNanoUsd / NanoPerUsd;
        var window = current?.Window ?? BudgetWindowKind.Monthly;
        var mode = current?.Mode ?? BudgetMode.Hard;
        var thresholds = current?.AlertThresholds ?? Budget.DefaultThresholds;
        if (patch.Has(nameof(patch.MaxUsd)))
        {
            if (!TryDecimal(patch.MaxUsd, out var amount) || amount <= 0 || amount > 1_000_000_000m)
            {
                return $"{path}.max_usd: must be a positive amount in USD (at most 1e9).";
            }

            max = amount;
        }

        if (patch.Has(nameof(patch.Window)) && !TryName(patch.Window, out window))
        {
            return $"{path}.window: must be one of daily, weekly, monthly, total.";
        }

        if (patch.Has(nameof(patch.Mode)) && !TryName(patch.Mode, out mode))
        {
            return $"{path}.mode: must be hard or soft.";
        }

        if (patch.Has(nameof(patch.AlertThresholds)))
        {
            if (patch.AlertThresholds is not { Length: <= 10 } list)
            {
                return $"{path}.alert_thresholds: must be an array of at most 10 fractions of the budget, like [0.5, 0.8, 1].";
            }

            if (list.Any(t => t <= 0 || t > 10))
            {
                return $"{path}.alert_thresholds: each threshold must be a number above 0 and at most 10 (1 = 100 % of the budget).";
            }

            thresholds = [.. list.Order().Distinct()];
        }

        if (max is null)
        {
            return $"{path}.max_usd: required.";
        }

        budget = new Budget((long)Math.Round(max.Value * NanoPerUsd, MidpointRounding.AwayFromZero), window, mode, thresholds);
        return null;
    }

    private static string? Positive(long? value, string at) => value <= 0 ? $"{at}: must be a positive integer, or null for no limit." : null;

    /// <summary>An enum member by name; numbers are refused, though <see cref="Enum.TryParse{TEnum}(string?, bool, out TEnum)"/> takes them.</summary>
    private static bool TryName<T>(string? text, out T value)
        where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);

    private static bool TryDecimal(JsonElement? value, out decimal amount)
    {
        amount = 0;
        return value?.ValueKind switch
        {
            JsonValueKind.Number => value.Value.TryGetDecimal(out amount),
            JsonValueKind.String => decimal.TryParse(value.Value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out amount),
            _ => false,
        };
    }
}
