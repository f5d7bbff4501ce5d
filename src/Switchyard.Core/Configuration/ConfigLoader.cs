using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Switchyard.Configuration;

/// <summary>
/// Reads <c>switchyard.yaml</c>, lets environment variables (<c>SWITCHYARD_SECTION__KEY</c>) override any
/// key, checks every key and value (<see cref="ConfigurationShape"/>), binds the option classes with the
/// generated configuration binder, converts what the binder cannot create, and runs the options validators.
/// Every problem is reported with the key that has it; nothing secret is ever put in a message.
/// </summary>
internal sealed class ConfigLoader
{
    public const string EnvironmentPrefix = "SWITCHYARD_";

    private readonly List<string> _errors = [];
    private readonly Func<string, string?> _environment;

    public ConfigLoader(Func<string, string?>? environment = null)
    {
        _environment = environment ?? Environment.GetEnvironmentVariable;
    }

    /// <summary>Loads a file (or nothing), applies environment overrides, validates. Throws <see cref="ConfigurationException"/>.</summary>
    public SwitchyardOptions Load(string? path, IEnumerable<KeyValuePair<string, string?>>? environmentVariables = null)
    {
        var fileValues = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (path is not null)
        {
            if (!File.Exists(path))
            {
                throw new ConfigurationException([$"--config: the file '{path}' does not exist."]);
            }

            fileValues = YamlFlattener.Flatten(File.ReadAllText(path), path);
        }

        var overrides = (environmentVariables ?? ReadEnvironment())
            .Where(p => p.Key.StartsWith(EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) && p.Key.Contains("__", StringComparison.Ordinal))
            .ToList();

        // A misspelt section is reported under the variable's name, not under a key the user never wrote.
        var sections = ConfigurationShape.KeysOf(typeof(SwitchyardOptions)).Keys;
        foreach (var (name, _) in overrides.ToList())
        {
            var top = name[EnvironmentPrefix.Length..].Split("__")[0];
            if (!sections.Contains(top, StringComparer.OrdinalIgnoreCase))
            {
                _errors.Add($"{name}: the environment variable names no known section ('{top.ToLowerInvariant()}'; expected one of {string.Join(", ", sections)}).");
                overrides.RemoveAll(p => p.Key == name);
            }
        }

        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(fileValues)
            .AddInMemoryCollection(overrides.Select(p => new KeyValuePair<string, string?>(p.Key[EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), p.Value)))
            .Build();

        var shape = new ConfigurationShape(_environment, _errors);
        shape.Check(config, typeof(SwitchyardOptions));
        var options = Bind(shape.Bindable);
        options.DiscoverProviders = path is null;
        if (path is null)
        {
            options.Guardrails.WithDefaults();
        }

        options.Auth.AdminKey ??= NullIfEmpty(_environment("SWITCHYARD_ADMIN_KEY"));
        var converted = shape.Converted;
        ReadLimits(converted.GetSection("limits"), options.Limits);
        ReadPrices(converted["prices_file"], path, options);
        CompleteModelGroups(config, converted, options);

        // A key already reported (a bad or unresolved value) is not reported again, nor what lies under it, for the default it fell back to.
        var reported = _errors.Select(KeyOf).ToHashSet(StringComparer.Ordinal);
        Validate(new AuthOptionsValidator(), options.Auth, reported);
        Validate(new TracingOptionsValidator(), options.Tracing, reported);
        Validate(new TelemetryOptionsValidator(), options.Telemetry, reported);
        Validate(new AlertOptionsValidator(), options.Alerts, reported);
        Validate(new CacheOptionsValidator(), options.Cache, reported);
        Validate(new RoutingOptionsValidator(), options.Routing, reported);
        Validate(new ModelGroupsValidator(), options, reported);
        Validate(new GuardrailOptionsValidator(), options, reported);

        if (_errors.Count > 0)
        {
            // Grouped by section, so a section's value and rule problems are listed together; a key set by an
            // environment variable names it, as the user will not find that key in the file.
            var origins = overrides
                .GroupBy(p => DisplayPath(p.Key[EnvironmentPrefix.Length..].Split("__")), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Last().Key, StringComparer.OrdinalIgnoreCase);
            throw new ConfigurationException([.. _errors
                .Select(e => origins.TryGetValue(KeyOf(e), out var variable) ? $"{KeyOf(e)} (from {variable}){e[KeyOf(e).Length..]}" : e)
                .GroupBy(e => KeyOf(e).Split('.', '[')[0])
                .SelectMany(g => g)]);
        }

        return options;
    }

    /// <summary>Seconds as a number, or a number with ms, s, m, h or d.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : text.EndsWith('h') ? (text[..^1], 3600.0)
            : text.EndsWith('d') ? (text[..^1], 86400.0)
            : (text, 1.0);
        if (!double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || double.IsInfinity(amount) || amount * scale > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    /// <summary>
    /// Section by section with the generated binder: the values were checked, so an unknown key here is a bug
    /// in <see cref="ConfigurationShape"/> and fails loudly rather than being dropped.
    /// </summary>
    private static SwitchyardOptions Bind(IConfiguration config)
    {
        var options = new SwitchyardOptions();
        config.GetSection("server").Bind(options.Server, Strict);
        config.GetSection("auth").Bind(options.Auth, Strict);
        config.GetSection("recording").Bind(options.Recording, Strict);
        config.GetSection("tracing").Bind(options.Tracing, Strict);
        config.GetSection("telemetry").Bind(options.Telemetry, Strict);
        config.GetSection("alerts").Bind(options.Alerts, Strict);
        config.GetSection("keys").Bind(options.Keys, Strict);
        config.GetSection("routing").Bind(options.Routing, Strict);
        config.GetSection("cache").Bind(options.Cache, Strict);
        config.GetSection("guardrails").Bind(options.Guardrails, Strict);
        config.GetSection("model_groups").Bind(options.ModelGroups, Strict);
        return options;
    }

    private static void Strict(BinderOptions options) => options.ErrorOnUnknownConfiguration = true;

    private static IEnumerable<KeyValuePair<string, string?>> ReadEnvironment()
    {
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            yield return new KeyValuePair<string, string?>((string)entry.Key, entry.Value as string);
        }
    }

    private void ReadLimits(IConfigurationSection section, LimitOptions o)
    {
        var s = section.Get<LimitSection>(Strict) ?? new LimitSection();
        o.Global = s.Global?.ToRateLimits() ?? o.Global;
        o.EstimatedOutputTokens = s.EstimatedOutputTokens ?? o.EstimatedOutputTokens;
        if (s.BudgetTimeZone is { } zone)
        {
            try
            {
                o.BudgetTimeZone = TimeZoneInfo.FindSystemTimeZoneById(zone);
            }
            catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                _errors.Add($"limits.budget_time_zone: '{zone}' is not a known time zone (use an IANA name such as Europe/Paris, or UTC).");
            }
        }

        if (section.GetSection("fallback_price").Exists())
        {
            if (s.FallbackPrice is not { InputPerMillion: { } input, OutputPerMillion: { } output })
            {
                _errors.Add("limits.fallback_price: needs input_per_million and output_per_million (USD per million tokens).");
            }
            else
            {
                o.FallbackPrice = new Accounting.Pricing.PriceEntry("*", null, input, input, input, output, null, "limits.fallback_price", "");
            }
        }
    }

    private void ReadPrices(string? pricesFile, string? configPath, SwitchyardOptions options)
    {
        if (string.IsNullOrWhiteSpace(pricesFile))
        {
            return;
        }

        // Relative to the config file, so a config and its price file travel together.
        var file = Path.IsPathRooted(pricesFile) || configPath is null ? pricesFile : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, pricesFile);
        if (!File.Exists(file))
        {
            _errors.Add($"prices_file: the file '{pricesFile}' does not exist.");
            return;
        }

        try
        {
            options.Prices.AddRange(Accounting.Pricing.PriceFile.Parse(File.ReadAllText(file), pricesFile));
        }
        catch (Accounting.Pricing.PriceFileException ex)
        {
            _errors.AddRange(ex.Errors.Select(e => $"prices_file: {e}"));
        }
    }

    /// <summary>What depends on a deployment's place: its default name and model, and the group's rate limits.</summary>
    private void CompleteModelGroups(IConfiguration config, IConfiguration converted, SwitchyardOptions options)
    {
        foreach (var (name, group) in options.ModelGroups)
        {
            group.Limits = converted.GetSection($"model_groups:{name}:limits").Get<RateLimitSection>(Strict)?.ToRateLimits() ?? group.Limits;
            for (var i = 0; i < group.Deployments.Count; i++)
            {
                var d = group.Deployments[i];
                d.Provider = d.Provider.ToLowerInvariant();
                var provider = d.Provider.Length == 0 ? "sandbox" : d.Provider;
                d.Model = d.Model.Length == 0 && provider == "sandbox" ? name : d.Model;
                d.Name = d.Name.Length == 0 ? $"{name}/{provider}" + (i == 0 ? "" : $"#{i}") : d.Name;
                if (provider != "sandbox" && config.GetSection($"model_groups:{name}:deployments:{i}:sandbox").Exists())
                {
                    _errors.Add($"model_groups.{name}.deployments[{i}].sandbox: only sandbox deployments take sandbox knobs.");
                }
            }
        }
    }

    private void Validate<T>(IValidateOptions<T> validator, T options, HashSet<string> reported)
        where T : class
    {
        if (validator.Validate(Options.DefaultName, options) is { Failed: true, Failures: { } failures })
        {
            _errors.AddRange(failures.Where(f => !reported.Any(r => KeyOf(f) is var key && (key == r || key.StartsWith(r + ".", StringComparison.Ordinal) || key.StartsWith(r + "[", StringComparison.Ordinal)))));
        }
    }

    /// <summary><c>model_groups, m, deployments, 0</c> → <c>model_groups.m.deployments[0]</c>, as messages name keys.</summary>
    private static string DisplayPath(IEnumerable<string> segments) =>
        string.Concat(segments.Select((s, i) => s.Length > 0 && s.All(char.IsAsciiDigit) ? $"[{s}]" : i == 0 ? s : $".{s}"));

    /// <summary>The key path a message starts with (<c>alerts.webhooks[0].url</c>).</summary>
    private static string KeyOf(string error) => error.Split(": ", 2)[0];

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
