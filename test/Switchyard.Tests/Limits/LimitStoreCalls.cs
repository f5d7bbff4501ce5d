using Switchyard.Limits;
using Xunit;

namespace Switchyard.Tests.Limits;

/// <summary>
/// The limit store's calls in the shape the store tests read best (a bool and out values), checking on
/// the way that the in-process store answers without ever going asynchronous.
/// </summary>
internal static class LimitStoreCalls
{
    public static bool TryAcquire(this ILimitStore store, LimitRequest request, out LimitTicket? ticket, out LimitRejection rejection)
    {
        var decision = Completed(store.AcquireAsync(request, CancellationToken.None));
        (ticket, rejection) = (decision.Ticket, decision.Rejection);
        return decision.Admitted;
    }

    public static void Settle(this ILimitStore store, LimitTicket ticket, long actualTokens, long actualCostNanoUsd, Action<SettledBudget>? settled = null) =>
        Assert.True(store.SettleAsync(ticket, actualTokens, actualCostNanoUsd, settled, CancellationToken.None).IsCompletedSuccessfully);

    public static void SeedSpend(this ILimitStore store, string stateKey, BudgetWindow window, long spentNanoUsd) =>
        Assert.True(store.SeedSpendAsync(stateKey, window, spentNanoUsd, CancellationToken.None).IsCompletedSuccessfully);

    private static T Completed<T>(ValueTask<T> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully, "the in-process store answers at once");
        return pending.Result;
    }
}
