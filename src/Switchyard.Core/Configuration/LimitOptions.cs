namespace Switchyard.Configuration;

/// <summary>Gateway-wide limits and how calls are estimated and priced for limits and budgets.</summary>
internal sealed class LimitOptions
{
    /// <summary>Limits on all calls through this gateway together.</summary>
    public Limits.RateLimits Global { get; set; } = Switchyard.Limits.RateLimits.None;

    /// <summary>Output tokens assumed for a request that sets no <c>max_tokens</c>, when estimating tokens and cost before the call.</summary>
    public long EstimatedOutputTokens { get; set; } = 1024;

    /// <summary>The calendar budgets reset on (IANA name).</summary>
    public TimeZoneInfo BudgetTimeZone { get; set; } = TimeZoneInfo.Utc;

    /// <summary>Price assumed for models the catalogue does not know; without it such calls are refused under a hard budget.</summary>
    public Accounting.Pricing.PriceEntry? FallbackPrice { get; set; }
}
