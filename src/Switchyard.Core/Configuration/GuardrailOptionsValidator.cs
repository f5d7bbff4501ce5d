using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary>
/// <c>guardrails</c> and each group's lists: names that lead to guards, settings that the guard's type
/// reads, actions it can take, regexes that compile, entity types the PII detector knows.
/// </summary>
internal sealed class GuardrailOptionsValidator : IValidateOptions<SwitchyardOptions>
{
    public ValidateOptionsResult Validate(string? name, SwitchyardOptions options)
    {
        var errors = new List<string>();
        var guardrails = options.Guardrails;
        foreach (var (guard, o) in guardrails.Guards)
        {
            ValidateGuard($"guardrails.guards.{guard}", o, errors);
            ValidateBackend($"guardrails.guards.{guard}", o, options, errors);
        }

        var surge = guardrails.Surge;
        if (surge.Window < TimeSpan.FromMinutes(1) || surge.Window > TimeSpan.FromDays(1))
        {
            errors.Add("guardrails.surge.window: must be from 1m to 1d.");
        }

        if (surge.Baseline < surge.Window)
        {
            errors.Add("guardrails.surge.baseline: must be at least the window.");
        }

        if (surge.Cooldown < TimeSpan.Zero)
        {
            errors.Add("guardrails.surge.cooldown: must not be negative.");
        }

        CheckList("guardrails.input", guardrails.Input, guardrails, output: false, errors);
        CheckList("guardrails.output", guardrails.Output, guardrails, output: true, errors);
        foreach (var (group, o) in options.ModelGroups)
        {
            CheckList($"model_groups.{group}.guardrails.input", o.Guardrails.Input, guardrails, output: false, errors);
            CheckList($"model_groups.{group}.guardrails.output", o.Guardrails.Output, guardrails, output: true, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckList(string path, List<string>? list, GuardrailOptions guardrails, bool output, List<string> errors)
    {
        foreach (var guard in list ?? [])
        {
            if (!guardrails.Guards.TryGetValue(guard, out var o))
            {
                errors.Add($"{path}: '{guard}' is not a guard (define it under guardrails.guards).");
            }
            else if (output && o.Type is GuardType.Injection or GuardType.Topic)
            {
                errors.Add($"{path}: '{guard}' is {Article(o.Type)} guard, which checks requests only; answers are checked by pii, validation, toxicity, leak, schema and groundedness guards.");
            }
            else if (!output && o.Type is GuardType.Leak or GuardType.Schema or GuardType.Groundedness)
            {
                errors.Add($"{path}: '{guard}' is {Article(o.Type)} guard, which checks answers only: put it in an output list.");
            }
        }
    }

    /// <summary>Who decides: a judge or moderation backend needs a model group this gateway serves, and a sane timeout.</summary>
    private static void ValidateBackend(string path, GuardOptions o, SwitchyardOptions options, List<string> errors)
    {
        var external = o.Type == GuardType.Judge || o.Backend != GuardBackend.Local;
        if (o.Backend == GuardBackend.Judge && o.Type is not (GuardType.Injection or GuardType.Toxicity or GuardType.Groundedness))
        {
            errors.Add($"{path}.backend: judge is a backend of injection, toxicity and groundedness guards; for any other question use a guard of type judge with a prompt.");
        }
        else if (o.Backend == GuardBackend.Moderation && o.Type != GuardType.Toxicity)
        {
            errors.Add($"{path}.backend: moderation is a backend of toxicity guards only.");
        }

        if (o.Type == GuardType.Judge && string.IsNullOrWhiteSpace(o.Prompt))
        {
            errors.Add($"{path}.prompt: a judge guard needs the question its model answers (for example \"Does the answer promise a refund?\").");
        }

        if (!external)
        {
            foreach (var (set, key) in (ReadOnlySpan<(bool, string)>)[(o.Model is not null, "model"), (o.Prompt is not null, "prompt")])
            {
                if (set)
                {
                    errors.Add($"{path}.{key}: read only with backend: judge or moderation, or by a guard of type judge.");
                }
            }

            return;
        }

        if (o.Prompt is not null && o.Backend == GuardBackend.Moderation)
        {
            errors.Add($"{path}.prompt: a moderation endpoint takes no prompt.");
        }

        if (string.IsNullOrWhiteSpace(o.Model))
        {
            errors.Add($"{path}.model: name the model group to ask (one of model_groups).");
        }
        else if (!options.ModelGroups.ContainsKey(o.Model))
        {
            errors.Add($"{path}.model: '{o.Model}' is not a model group of this configuration (model_groups).");
        }

        if (o.Timeout <= TimeSpan.Zero || o.Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{path}.timeout: must be above 0 and at most 10m.");
        }
    }

    private static void ValidateGuard(string path, GuardOptions o, List<string> errors)
    {
        var type = o.Type;
        void Only(bool set, string key, params GuardType[] types)
        {
            if (set && !types.Contains(type))
            {
                errors.Add($"{path}.{key}: not a setting of {Article(type)} guard (it is read by {string.Join(" and ", types.Select(Name))} guards).");
            }
        }

        Only(o.Threshold is not null, "threshold", GuardType.Injection, GuardType.Topic, GuardType.Toxicity, GuardType.Groundedness, GuardType.Judge);
        Only(o.Categories.Count > 0, "categories", GuardType.Toxicity);
        Only(o.Canaries.Count > 0, "canaries", GuardType.Leak);
        Only(o.MinWords is not null, "min_words", GuardType.Leak);
        Only(o.ContextStart is not null, "context_start", GuardType.Groundedness);
        Only(o.ContextEnd is not null, "context_end", GuardType.Groundedness);
        foreach (var category in o.Categories)
        {
            if (!Guardrails.Toxicity.ToxicityCategories.All.Contains(category))
            {
                errors.Add($"{path}.categories: '{category}' is not a category ({string.Join(", ", Guardrails.Toxicity.ToxicityCategories.All)}).");
            }
        }

        Only(o.CheckData is not null, "check_data", GuardType.Injection);
        Only(o.Entities.Count > 0, "entities", GuardType.Pii);
        Only(o.EntityActions.Count > 0, "entity_actions", GuardType.Pii);
        Only(o.MaxInputTokens is not null, "max_input_tokens", GuardType.Validation);
        Only(o.MaxTokens is not null, "max_tokens", GuardType.Validation);
        Only(o.MinTemperature is not null, "min_temperature", GuardType.Validation);
        Only(o.MaxTemperature is not null, "max_temperature", GuardType.Validation);
        Only(o.DeniedParameters.Count > 0, "denied_parameters", GuardType.Validation);
        Only(o.Allow.Count > 0, "allow", GuardType.Validation);
        Only(o.Deny.Count > 0, "deny", GuardType.Validation);
        Only(o.Examples.Count > 0, "examples", GuardType.Topic);
        Only(o.Repair != SchemaRepair.None, "repair", GuardType.Schema);

        var transforms = o.Action is GuardAction.Redact or GuardAction.Mask or GuardAction.Hash or GuardAction.Pseudonymise;
        if (transforms && type != GuardType.Pii)
        {
            errors.Add($"{path}.action: {Name(o.Action)} rewrites the spans a pii guard finds; {Article(type)} guard can block, flag or warn.");
        }

        foreach (var (entity, action) in o.EntityActions)
        {
            if (!Guardrails.Pii.PiiTypes.All.Contains(entity))
            {
                errors.Add($"{path}.entity_actions: '{entity}' is not an entity type ({string.Join(", ", Guardrails.Pii.PiiTypes.All)}).");
            }
        }

        foreach (var entity in o.Entities)
        {
            if (!Guardrails.Pii.PiiTypes.All.Contains(entity))
            {
                errors.Add($"{path}.entities: '{entity}' is not an entity type ({string.Join(", ", Guardrails.Pii.PiiTypes.All)}).");
            }
        }

        if (o.MinTemperature > o.MaxTemperature)
        {
            errors.Add($"{path}.min_temperature: above max_temperature.");
        }

        foreach (var (key, patterns) in (ReadOnlySpan<(string, List<string>)>)[("allow", o.Allow), ("deny", o.Deny)])
        {
            foreach (var pattern in patterns)
            {
                if (Guardrails.Validation.GuardRegex.TryCreate(pattern, out var problem) is null)
                {
                    errors.Add($"{path}.{key}: '{pattern}' is not a regex the gateway can run without backtracking ({problem}).");
                }
            }
        }

        if (type == GuardType.Topic && o.Examples.Count == 0)
        {
            errors.Add($"{path}.examples: a topic guard needs at least one example text of the topic.");
        }

        if (type == GuardType.Validation && o.MaxInputTokens is null && o.MaxTokens is null && o.MinTemperature is null && o.MaxTemperature is null
            && o.DeniedParameters.Count == 0 && o.Allow.Count == 0 && o.Deny.Count == 0)
        {
            errors.Add($"{path}: a validation guard needs at least one of max_input_tokens, max_tokens, min_temperature, max_temperature, denied_parameters, allow, deny.");
        }
    }

    private static string Article(GuardType type) => type == GuardType.Injection ? "an injection" : $"a {Name(type)}";


    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();
}
