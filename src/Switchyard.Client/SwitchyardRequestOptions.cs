using System.Globalization;
using System.Text.Json.Nodes;

namespace Switchyard.Client;

/// <summary>
/// What the gateway reads from the <c>x-switchyard-*</c> request headers, as typed properties: set them as
/// client defaults (<see cref="SwitchyardClientOptions.Defaults"/>) or for one call
/// (<see cref="SwitchyardChatOptionsExtensions.WithSwitchyard(Microsoft.Extensions.AI.ChatOptions, Action{SwitchyardRequestOptions})"/>).
/// Values the gateway would refuse (or silently cut) fail on the client with an <see cref="ArgumentException"/>.
/// </summary>
public sealed class SwitchyardRequestOptions
{
    /// <summary>Most tags the gateway keeps on one call.</summary>
    public const int MaxTags = 32;

    /// <summary>Longest tag the gateway accepts.</summary>
    public const int MaxTagLength = 128;

    /// <summary>Longest user or session id the gateway keeps whole.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Most fallback model groups one call may name.</summary>
    public const int MaxFallbacks = 10;

    /// <summary>Longest per-call timeout the gateway accepts.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(86_400);

    /// <summary>Longest cache lifetime the gateway accepts.</summary>
    public static readonly TimeSpan MaxCacheTtl = TimeSpan.FromDays(30);

    /// <summary>The end user the call is for (<c>x-switchyard-user</c>); spend, limits and traces are grouped by it.</summary>
    public string? User { get; set; }

    /// <summary>The conversation or session the call belongs to (<c>x-switchyard-session</c>).</summary>
    public string? Session { get; set; }

    /// <summary>Tags for filtering traces (<c>x-switchyard-tags</c>). Per-call tags are added to the client's.</summary>
    public IList<string>? Tags { get; set; }

    /// <summary>Free-form metadata (<c>x-switchyard-metadata</c>). Per-call keys win over the client's.</summary>
    public JsonObject? Metadata { get; set; }

    /// <summary>How this call uses the gateway's response cache (<c>x-switchyard-cache</c>); null for the gateway's default.</summary>
    public SwitchyardCacheMode? Cache { get; set; }

    /// <summary>How long the gateway keeps this answer in its cache (<c>x-switchyard-cache-ttl</c>).</summary>
    public TimeSpan? CacheTtl { get; set; }

    /// <summary>Deadline for the whole call inside the gateway, retries and fallbacks included (<c>x-switchyard-timeout</c>).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Model groups to fall back to, in order, instead of the configured ones (<c>x-switchyard-fallbacks</c>).</summary>
    public IList<string>? Fallbacks { get; set; }

    /// <summary>True to turn fallbacks off for the call (<c>x-switchyard-fallbacks: off</c>); not together with <see cref="Fallbacks"/>.</summary>
    public bool? DisableFallbacks { get; set; }

    /// <summary>
    /// A registry prompt for the gateway to render and send in place of the request's messages, with the
    /// model it was written for (<c>x-switchyard-prompt</c>: <c>NAME@LABEL</c> or <c>NAME@VERSION</c>).
    /// </summary>
    public SwitchyardPromptReference? Prompt { get; set; }

    /// <summary>
    /// The values of <see cref="Prompt"/>'s variables (<c>x-switchyard-prompt-variables</c>, a JSON object).
    /// They belong to the prompt: a call that names its own prompt does not inherit the client's variables.
    /// </summary>
    public JsonObject? PromptVariables { get; set; }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value the gateway would refuse.</summary>
    public void Validate()
    {
        CheckId(User, nameof(User));
        CheckId(Session, nameof(Session));
        if (Tags is { } tags)
        {
            if (tags.Count > MaxTags)
            {
                throw new ArgumentException($"Switchyard tags: at most {MaxTags}, got {tags.Count}.", nameof(Tags));
            }

            foreach (var tag in tags)
            {
                CheckListItem(tag, MaxTagLength, "tag", nameof(Tags));
            }
        }

        if (Cache is { } cache && !Enum.IsDefined(cache))
        {
            throw new ArgumentException($"Switchyard cache mode {(int)cache} is not one of NoCache, NoStore, Off.", nameof(Cache));
        }

        CheckDuration(CacheTtl, MaxCacheTtl, nameof(CacheTtl));
        CheckDuration(Timeout, MaxTimeout, nameof(Timeout));
        if (Fallbacks is { } fallbacks)
        {
            if (DisableFallbacks == true)
            {
                throw new ArgumentException("Switchyard fallbacks: name fallback groups or disable fallbacks, not both.", nameof(Fallbacks));
            }

            if (fallbacks.Count is 0 or > MaxFallbacks)
            {
                throw new ArgumentException($"Switchyard fallbacks: name 1 to {MaxFallbacks} model groups, got {fallbacks.Count}.", nameof(Fallbacks));
            }

            foreach (var group in fallbacks)
            {
                CheckListItem(group, MaxIdLength, "fallback model group", nameof(Fallbacks));
            }
        }
    }

    /// <summary>This call's options over the client's defaults: scalars replace, tags add up, metadata merges by key.</summary>
    internal static SwitchyardRequestOptions Merge(SwitchyardRequestOptions defaults, SwitchyardRequestOptions? call)
    {
        if (call is null)
        {
            return defaults;
        }

        JsonObject? metadata = null;
        if (defaults.Metadata is not null || call.Metadata is not null)
        {
            metadata = [];
            foreach (var source in new[] { defaults.Metadata, call.Metadata })
            {
                foreach (var (key, value) in source ?? [])
                {
                    metadata[key] = value?.DeepClone();
                }
            }
        }

        var merged = new SwitchyardRequestOptions
        {
            User = call.User ?? defaults.User,
            Session = call.Session ?? defaults.Session,
            Tags = defaults.Tags is null ? call.Tags : call.Tags is null ? defaults.Tags : [.. defaults.Tags.Concat(call.Tags).Distinct(StringComparer.Ordinal)],
            Metadata = metadata,
            Cache = call.Cache ?? defaults.Cache,
            CacheTtl = call.CacheTtl ?? defaults.CacheTtl,
            Timeout = call.Timeout ?? defaults.Timeout,
            Fallbacks = call.Fallbacks ?? (call.DisableFallbacks is null ? defaults.Fallbacks : null),
            DisableFallbacks = call.DisableFallbacks ?? (call.Fallbacks is null ? defaults.DisableFallbacks : null),
            Prompt = call.Prompt ?? defaults.Prompt,
            PromptVariables = call.Prompt is not null ? call.PromptVariables : call.PromptVariables ?? defaults.PromptVariables,
        };
        merged.Validate();
        return merged;
    }

    /// <summary>The headers these options stand for, as the gateway parses them.</summary>
    internal IEnumerable<KeyValuePair<string, string>> ToHeaders()
    {
        if (User is not null)
        {
            yield return new("x-switchyard-user", User);
        }

        if (Session is not null)
        {
            yield return new("x-switchyard-session", Session);
        }

        if (Tags is { Count: > 0 })
        {
            yield return new("x-switchyard-tags", string.Join(',', Tags));
        }

        if (Metadata is { Count: > 0 })
        {
            // The default encoder escapes everything outside ASCII, which keeps the header value ASCII.
            yield return new("x-switchyard-metadata", Metadata.ToJsonString());
        }

        if (Cache is { } cache)
        {
            yield return new("x-switchyard-cache", cache switch
            {
                SwitchyardCacheMode.NoCache => "no-cache",
                SwitchyardCacheMode.NoStore => "no-store",
                _ => "off",
            });
        }

        if (CacheTtl is { } ttl)
        {
            yield return new("x-switchyard-cache-ttl", Seconds(ttl));
        }

        if (Timeout is { } timeout)
        {
            yield return new("x-switchyard-timeout", Seconds(timeout));
        }

        if (DisableFallbacks == true)
        {
            yield return new("x-switchyard-fallbacks", "off");
        }
        else if (Fallbacks is { Count: > 0 })
        {
            yield return new("x-switchyard-fallbacks", string.Join(',', Fallbacks));
        }

        if (Prompt is not null)
        {
            yield return new("x-switchyard-prompt", Prompt.ToString());
        }

        if (PromptVariables is { Count: > 0 })
        {
            // The default encoder escapes everything outside ASCII, which keeps the header value ASCII.
            yield return new("x-switchyard-prompt-variables", PromptVariables.ToJsonString());
        }
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);

    private static void CheckId(string? value, string property)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length is 0 or > MaxIdLength)
        {
            throw new ArgumentException($"Switchyard {property.ToLowerInvariant()}: 1 to {MaxIdLength} characters, got {value.Length}.", property);
        }

        CheckHeaderText(value, property);
    }

    private static void CheckListItem(string? value, int maxLength, string what, string property)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > maxLength)
        {
            throw new ArgumentException($"Switchyard {what} '{value}': 1 to {maxLength} characters, not blank.", property);
        }

        if (value.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Switchyard {what} '{value}' contains a comma, which separates them in the header.", property);
        }

        CheckHeaderText(value, property);
    }

    // HTTP header values travel as ASCII: anything else would be refused by HttpClient, or reach the gateway mangled.
    private static void CheckHeaderText(string value, string property)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException($"Switchyard {property.ToLowerInvariant()} '{value}': only printable ASCII fits in a header (found U+{(int)c:X4}).", property);
            }
        }
    }

    private static void CheckDuration(TimeSpan? value, TimeSpan max, string property)
    {
        if (value is { } v && (v <= TimeSpan.Zero || v > max))
        {
            throw new ArgumentException($"Switchyard {property}: above 0 and at most {max.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds, got {v}.", property);
        }
    }
}
