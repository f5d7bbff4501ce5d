using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary>The <c>auth</c> rules that span keys or need more than a range.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        if (options.AdminKey is { Length: < AuthOptions.MinAdminKeyLength })
        {
            errors.Add($"auth.admin_key: the admin key must be at least {AuthOptions.MinAdminKeyLength} characters (it is {options.AdminKey.Length}); generate one with: openssl rand -hex 32");
        }

        if (options.SessionIdleTimeout < TimeSpan.FromMinutes(1))
        {
            errors.Add("auth.session_idle_timeout: must be at least 1m.");
        }

        if (options.SessionLifetime < options.SessionIdleTimeout)
        {
            errors.Add("auth.session_lifetime: must be at least auth.session_idle_timeout.");
        }

        if (options.FailedAuthWindow < TimeSpan.FromSeconds(1) || options.FailedAuthWindow > TimeSpan.FromDays(1))
        {
            errors.Add("auth.failed_auth_window: must be from 1s to 1d.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
