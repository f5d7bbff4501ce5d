using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary><c>model_groups</c>: deployments each complete and uniquely named, and fallbacks that lead to other groups.</summary>
internal sealed class ModelGroupsValidator : IValidateOptions<SwitchyardOptions>
{
    private static readonly string[] s_providers = ["openai", "azure", "anthropic", "sandbox"];

    public ValidateOptionsResult Validate(string? name, SwitchyardOptions options)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, o) in options.ModelGroups)
        {
            var path = $"model_groups.{group}";
            if (o.Deployments.Count == 0)
            {
                errors.Add($"{path}.deployments: a model group needs at least one deployment.");
            }
            else if (o.Deployments.All(d => d.Weight == 0))
            {
                errors.Add($"{path}.deployments: at least one deployment needs a weight above 0.");
            }

            if (o.Deployments.Count > 64)
            {
                errors.Add($"{path}.deployments: at most 64 deployments per model group.");
            }

            for (var i = 0; i < o.Deployments.Count; i++)
            {
                ValidateDeployment(o.Deployments[i], $"{path}.deployments[{i}]", errors);
                if (!names.Add(o.Deployments[i].Name))
                {
                    errors.Add($"{path}.deployments[{i}].name: '{o.Deployments[i].Name}' is already used by another deployment; names must be unique.");
                }
            }

            foreach (var (key, list) in (ReadOnlySpan<(string, List<string>)>)[("fallbacks", o.Fallbacks), ("context_window_fallbacks", o.ContextWindowFallbacks), ("content_policy_fallbacks", o.ContentPolicyFallbacks)])
            {
                foreach (var target in list)
                {
                    if (target == group)
                    {
                        errors.Add($"{path}.{key}: a group cannot fall back to itself.");
                    }
                    else if (!options.ModelGroups.ContainsKey(target))
                    {
                        errors.Add($"{path}.{key}: '{target}' is not a model group.");
                    }
                }
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateDeployment(DeploymentOptions d, string path, List<string> errors)
    {
        if (d.Provider.Length == 0)
        {
            errors.Add($"{path}.provider: required (one of {string.Join(", ", s_providers)}).");
        }
        else if (!s_providers.Contains(d.Provider))
        {
            errors.Add($"{path}.provider: unknown provider '{d.Provider}' (expected one of {string.Join(", ", s_providers)}).");
        }

        if (d.Model.Length == 0)
        {
            errors.Add($"{path}.model: required: the model name the {d.Provider} upstream knows{(d.Provider == "azure" ? " (the Azure deployment name)" : "")}.");
        }

        if (d.BaseUrl is not null && (!Uri.TryCreate(d.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add($"{path}.base_url: '{d.BaseUrl}' is not an absolute http(s) URL.");
        }
        else if (d.Provider == "azure" && d.BaseUrl is null)
        {
            errors.Add($"{path}.base_url: required for azure (the resource endpoint, https://NAME.openai.azure.com).");
        }

        foreach (var (key, value) in (ReadOnlySpan<(string, TimeSpan?)>)[("timeout", d.Timeout), ("connect_timeout", d.ConnectTimeout), ("first_token_timeout", d.FirstTokenTimeout), ("idle_timeout", d.IdleTimeout)])
        {
            if (value is { } t && (t < TimeSpan.FromMilliseconds(1) || t > TimeSpan.FromDays(1)))
            {
                errors.Add($"{path}.{key}: must be from 1ms to 1d.");
            }
        }
    }
}
