using System.Text.Json;
using Switchyard.Identity;
using Switchyard.Limits;

namespace Switchyard.Spend;

/// <summary>A subject's budget against its spend in the current window, as the API and dashboard show it.</summary>
internal sealed class BudgetStatus(ILimitStore store, ISpendStore spend, SpendLedger ledger, TimeProvider time)
{
    /// <summary>Writes <c>"spend": {window, window_start, window_end, budget_usd, spent_usd, reserved_usd, remaining_usd, used_fraction}</c>, or null without a budget.</summary>
    public void Write(Utf8JsonWriter json, LimitedSubject subject)
    {
        if (subject.Budget is not { } budget)
        {
            json.WriteNull("spend");
            return;
        }

        var window = BudgetWindow.Containing(budget.Window, time.GetUtcNow(), ledger.Zone);
        // The API writes subjects synchronously; the ledger is read only for a window the limit store does not hold yet.
        var usage = store.ReadBudget(subject.StateKey, window)
            ?? new BudgetUsage(spend.SpentSinceAsync(subject.Kind, subject.Id, window.FirstDay(ledger.Zone), CancellationToken.None).GetAwaiter().GetResult(), 0);
        json.WriteStartObject("spend");
        json.WriteString("window", budget.Window.ToString().ToLowerInvariant());
        Hosting.ApiBody.WriteTime(json, "window_start", budget.Window == BudgetWindowKind.Total ? null : window.Start);
        Hosting.ApiBody.WriteTime(json, "window_end", window.End);
        json.WriteString("budget_usd", SpendReport.Usd(budget.AmountNanoUsd));
        json.WriteString("spent_usd", SpendReport.Usd(usage.SpentNanoUsd));
        json.WriteString("reserved_usd", SpendReport.Usd(usage.ReservedNanoUsd));
        json.WriteString("remaining_usd", SpendReport.Usd(Math.Max(0, budget.AmountNanoUsd - usage.SpentNanoUsd - usage.ReservedNanoUsd)));
        json.WriteNumber("used_fraction", Math.Round((double)usage.SpentNanoUsd / budget.AmountNanoUsd, 6));
        json.WriteBoolean("exceeded", usage.SpentNanoUsd >= budget.AmountNanoUsd);
        json.WriteEndObject();
    }
}
