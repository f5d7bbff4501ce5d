using System.Text.Json;
using Switchyard.Identity;
using Switchyard.Limits;

namespace Switchyard.Spend;

/// <summary>A subject's budget against its spend in the current window, as the API and dashboard show it.</summary>
internal sealed class BudgetStatus(ILimitStore store, ISpendStore spend, SpendLedger ledger, TimeProvider time)
{
    /// <summary>Writes <c>"spend": {…}</c> (see <see cref="Of"/>), or null without a budget.</summary>
    public void Write(Utf8JsonWriter json, LimitedSubject subject)
    {
        json.WritePropertyName("spend");
        JsonSerializer.Serialize(json, Of(subject), Hosting.AdminJson.Default.SpendView);
    }

    /// <summary>The window, its bounds, the budget, what is spent and reserved in it, what remains, and whether it is exceeded; null without a budget.</summary>
    public SpendView? Of(LimitedSubject subject)
    {
        if (subject.Budget is not { } budget)
        {
            return null;
        }

        var window = BudgetWindow.Containing(budget.Window, time.GetUtcNow(), ledger.Zone);
        // The API writes subjects synchronously; the ledger is read only for a window the limit store does not hold yet.
        var usage = store.ReadBudget(subject.StateKey, window)
            ?? new BudgetUsage(spend.SpentSinceAsync(subject.Kind, subject.Id, window.FirstDay(ledger.Zone), CancellationToken.None).GetAwaiter().GetResult(), 0);
        return new SpendView(
            budget.Window.ToString().ToLowerInvariant(),
            budget.Window == BudgetWindowKind.Total ? null : window.Start,
            window.End,
            SpendReport.Usd(budget.AmountNanoUsd),
            SpendReport.Usd(usage.SpentNanoUsd),
            SpendReport.Usd(usage.ReservedNanoUsd),
            SpendReport.Usd(Math.Max(0, budget.AmountNanoUsd - usage.SpentNanoUsd - usage.ReservedNanoUsd)),
            Math.Round((double)usage.SpentNanoUsd / budget.AmountNanoUsd, 6),
            usage.SpentNanoUsd >= budget.AmountNanoUsd);
    }
}
