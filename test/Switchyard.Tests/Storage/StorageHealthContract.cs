using Switchyard.Storage;
using Xunit;

namespace Switchyard.Tests.Storage;

/// <summary>
/// What every <see cref="IStorageHealth"/> must do: name its kind, answer null while the store answers,
/// and say why (rather than throw) when it does not.
/// </summary>
public abstract class StorageHealthContract
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The check over a store that works.</summary>
    internal abstract IStorageHealth CreateHealthy();

    /// <summary>The check over a store that cannot be reached.</summary>
    internal abstract IStorageHealth CreateUnreachable();

    /// <summary>The kind <c>/health/ready</c> reports for this implementation.</summary>
    protected abstract string ExpectedKind { get; }

    [Fact]
    public async Task A_working_store_is_healthy()
    {
        var health = CreateHealthy();

        Assert.Equal(ExpectedKind, health.Kind);
        Assert.Null(await health.CheckAsync(Ct));
    }

    [Fact]
    public async Task An_unreachable_store_says_why()
    {
        var error = await CreateUnreachable().CheckAsync(Ct);

        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
