using System.Globalization;
using System.Text.Json;

namespace Switchyard.Limits;

/// <summary>
/// Limits and budgets as JSON, the same shape in the API and in storage:
/// <c>{"rpm":60,"tpm":100000,"max_concurrent":8}</c> and
/// <c>{"max_usd":25,"window":"monthly","mode":"hard","alert_thresholds":[0.5,0.8,1]}</c>.
/// Parsing reports the first problem with its path; it never throws on bad input.
/// </summary>
internal static class PolicyJson
{
    private const decimal NanoPerUsd = 1_000_000_000m;

    public static void Write(Utf8JsonWriter json, string name, RateLimits limits)
    {
        json.WritePropertyName(name);
        WriteValue(json, limits);
    }

    public static void WriteValue(Utf8JsonWriter json, RateLimits limits)
    {
        json.WriteStartObject();
        WriteNumberOrNull(json, "rpm", limits.RequestsPerMinute);
        WriteNumberOrNull(json, "tpm", limits.TokensPerMinute);
        WriteNumberOrNull(json, "max_concurrent", limits.MaxConcurrent);
        json.WriteEndObject();
    }

    public static void Write(Utf8JsonWriter json, string name, Budget? budget)
    {
        json.WritePropertyName(name);
        WriteValue(json, budget);
    }

    public static void WriteValue(Utf8JsonWriter json, Budget? budget)
    {
        if (budget is null)
        {
            json.WriteNullValue();
            return;
        }

        json.WriteStartObject();
        // A string, like every USD amount in the API: exact, whatever the client's number type.
        json.WriteString("max_usd", (budget.AmountNanoUsd / NanoPerUsd).ToString(CultureInfo.InvariantCulture));
        json.WriteString("window", budget.Window.ToString().ToLowerInvariant());
        json.WriteString("mode", budget.Mode.ToString().ToLowerInvariant());
        json.WriteStartArray("alert_thresholds");
        foreach (var t in budget.AlertThresholds)
        {
            json.WriteNumberValue(t);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static string? Serialize(RateLimits limits) => limits.IsEmpty ? null : Serialize(json => WriteValue(json, limits));

    public static string? Serialize(Budget? budget) => budget is null ? null : Serialize(json => WriteValue(json, budget));

    /// <summary>Fields present replace those of <paramref name="baseline"/> (null clears one); absent ones keep it, as in a JSON merge patch.</summary>
    public static bool TryParseLimits(JsonElement element, string path, out RateLimits limits, out string? error, RateLimits? baseline = null)
    {
        limits = RateLimits.None;
        if (element.ValueKind == JsonValueKind.Null)
        {
            error = null;
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{path}: must be an object like {{\"rpm\": 60, \"tpm\": 100000, \"max_concurrent\": 8}}.";
            return false;
        }

        long? rpm = baseline?.RequestsPerMinute, tpm = baseline?.TokensPerMinute, concurrent = baseline?.MaxConcurrent;
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            long? value;
            if (!TryPositive(property.Value, $"{path}.{name}", out value, out error))
            {
                return false;
            }

            switch (name)
            {
                case "rpm":
                    rpm = value;
                    break;
                case "tpm":
                    tpm = value;
                    break;
                case "max_concurrent":
                    if (value > int.MaxValue)
                    {
                        error = $"{path}.max_concurrent: too large.";
                        return false;
                    }

                    concurrent = value;
                    break;
                default:
                    error = $"{path}.{name}: unknown field (expected rpm, tpm, max_concurrent).";
                    return false;
            }
        }

        limits = new RateLimits(rpm, tpm, (int?)concurrent);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParseLimits"/>: fields absent from the object keep <paramref name="baseline"/>'s values.</summary>
    public static bool TryParseBudget(JsonElement element, string path, out Budget? budget, out string? error, Budget? baseline = null)
    {
        budget = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            error = null;
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{path}: must be an object like {{\"max_usd\": 25, \"window\": \"monthly\", \"mode\": \"hard\"}}.";
            return false;
        }

        decimal? max = baseline is null ? null : baseline.AmountNanoUsd / NanoPerUsd;
        var window = baseline?.Window ?? BudgetWindowKind.Monthly;
        var mode = baseline?.Mode ?? BudgetMode.Hard;
        var thresholds = baseline?.AlertThresholds ?? Budget.DefaultThresholds;
        foreach (var property in element.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            var value = property.Value;
            switch (property.Name)
            {
                case "max_usd":
                    if (!TryDecimal(value, out var amount) || amount <= 0 || amount > 1_000_000_000m)
                    {
                        error = $"{at}: must be a positive amount in USD (at most 1e9).";
                        return false;
                    }

                    max = amount;
                    break;
                case "window":
                    if (value.ValueKind != JsonValueKind.String || !Enum.TryParse(value.GetString(), ignoreCase: true, out window) || !Enum.IsDefined(window) || int.TryParse(value.GetString(), out _))
                    {
                        error = $"{at}: must be one of daily, weekly, monthly, total.";
                        return false;
                    }

                    break;
                case "mode":
                    if (value.ValueKind != JsonValueKind.String || !Enum.TryParse(value.GetString(), ignoreCase: true, out mode) || !Enum.IsDefined(mode) || int.TryParse(value.GetString(), out _))
                    {
                        error = $"{at}: must be hard or soft.";
                        return false;
                    }

                    break;
                case "alert_thresholds":
                    if (!TryThresholds(value, at, out thresholds!, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    error = $"{at}: unknown field (expected max_usd, window, mode, alert_thresholds).";
                    return false;
            }
        }

        if (max is null)
        {
            error = $"{path}.max_usd: required.";
            return false;
        }

        budget = new Budget((long)Math.Round(max.Value * NanoPerUsd, MidpointRounding.AwayFromZero), window, mode, thresholds);
        error = null;
        return true;
    }

    /// <summary>Reads what <see cref="Serialize(RateLimits)"/> wrote; stored values were validated when written.</summary>
    public static RateLimits DeserializeLimits(string? text)
    {
        if (text is null)
        {
            return RateLimits.None;
        }

        using var doc = JsonDocument.Parse(text);
        return TryParseLimits(doc.RootElement, "limits", out var limits, out _) ? limits : RateLimits.None;
    }

    public static Budget? DeserializeBudget(string? text)
    {
        if (text is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(text);
        return TryParseBudget(doc.RootElement, "budget", out var budget, out _) ? budget : null;
    }

    private static bool TryThresholds(JsonElement value, string at, out IReadOnlyList<double>? thresholds, out string? error)
    {
        thresholds = null;
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > 10)
        {
            error = $"{at}: must be an array of at most 10 fractions of the budget, like [0.5, 0.8, 1].";
            return false;
        }

        var list = new List<double>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var t) || t <= 0 || t > 10)
            {
                error = $"{at}: each threshold must be a number above 0 and at most 10 (1 = 100 % of the budget).";
                return false;
            }

            list.Add(t);
        }

        list.Sort();
        thresholds = list.Distinct().ToArray();
        error = null;
        return true;
    }

    private static bool TryPositive(JsonElement value, string at, out long? result, out string? error)
    {
        result = null;
        error = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var n) || n <= 0)
        {
            error = $"{at}: must be a positive integer, or null for no limit.";
            return false;
        }

        result = n;
        return true;
    }

    private static bool TryDecimal(JsonElement value, out decimal amount)
    {
        amount = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDecimal(out amount),
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out amount),
            _ => false,
        };
    }

    private static void WriteNumberOrNull(Utf8JsonWriter json, string name, long? value)
    {
        if (value is { } v)
        {
            json.WriteNumber(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
