using Switchyard.Limits;

namespace Switchyard.Tests.Limits;

/// <summary>The limit-store contract on the in-process store.</summary>
public sealed class InProcessLimitStoreTests : LimitStoreContract
{
    internal override ILimitStore CreateStore() => new InProcessLimitStore();
}
