using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>
/// The browser tests run on their own, after the parallel tests: a page load that takes 100 ms alone took
/// more than the 15 s timeout when Chromium shared the two cores with the rest of the suite, and a
/// timeout there says nothing about the dashboard.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection
{
    public const string Name = "browser";
}
