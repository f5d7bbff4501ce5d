using Microsoft.Extensions.Hosting;
using Switchyard.Identity;
using Switchyard.Limits;

namespace Switchyard.Spend;

/// <summary>
/// Gives the limit store each budget's spend so far in its current window, from the ledger: at start
/// (so spend survives restarts) and whenever a budget is set or changed (its window may be new to the
/// store). Between those, the store itself tracks spend as calls settle, including window resets.
/// </summary>
internal sealed class BudgetSeeder(ILimitStore store, ISpendStore spend, SpendLedger ledger, KeyRegistry registry, TimeProvider time) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var subject in registry.Teams.Cast<LimitedSubject>().Concat(registry.Users).Concat(registry.Keys))
        {
            await SeedOneAsync(subject, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Seeds one subject, after the ledger has caught up with calls already made.</summary>
    public async Task SeedAsync(LimitedSubject subject, CancellationToken cancellationToken)
    {
        if (subject.Budget is null)
        {
            return;
        }

        await ledger.FlushAsync(cancellationToken).ConfigureAwait(false);
        await SeedOneAsync(subject, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SeedOneAsync(LimitedSubject subject, CancellationToken cancellationToken)
    {
        if (subject.Budget is not { } budget || (subject is VirtualKey { RevokedAt: not null }))
        {
            return;
        }

        var window = BudgetWindow.Containing(budget.Window, time.GetUtcNow(), ledger.Zone);
        var spent = await spend.SpentSinceAsync(subject.Kind, subject.Id, window.FirstDay(ledger.Zone), cancellationToken).ConfigureAwait(false);
        await store.SeedSpendAsync(subject.StateKey, window, spent, cancellationToken).ConfigureAwait(false);
    }
}
