using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary><c>cache</c>: the bounds a duration cannot state through its attribute.</summary>
internal sealed class CacheOptionsValidator : IValidateOptions<CacheOptions>
{
    public ValidateOptionsResult Validate(string? name, CacheOptions options) =>
        options.SemanticLookupBudget < TimeSpan.Zero || options.SemanticLookupBudget > TimeSpan.FromSeconds(10)
            ? ValidateOptionsResult.Fail("cache.semantic_lookup_budget: must be from 0 to 10s (0 sheds a lookup whenever another embedding is under way).")
            : ValidateOptionsResult.Success;
}
