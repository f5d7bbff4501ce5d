namespace Switchyard.Configuration;

/// <summary>
/// What the configuration binder cannot say about a key: the accepted range, a unit the value is scaled by,
/// <c>env:NAME</c> secret references, comma-separated lists, and keys <see cref="ConfigLoader"/> converts itself.
/// <see cref="ConfigurationShape"/> reads it to check and normalize values before the generated binder runs.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ConfigValueAttribute : Attribute
{
    /// <summary>Smallest accepted number (before <see cref="Unit"/>); NaN: the type's own bound.</summary>
    public double Min { get; set; } = double.NaN;

    /// <summary>Largest accepted number (before <see cref="Unit"/>); NaN: the type's own bound.</summary>
    public double Max { get; set; } = double.NaN;

    /// <summary>Numbers above <see cref="Min"/> only, for ratios where 0 means nothing.</summary>
    public bool MinExclusive { get; set; }

    /// <summary>The written number is multiplied by this (<c>max_memory_mb</c> binds to bytes).</summary>
    public long Unit { get; set; } = 1;

    /// <summary>The value, or each value of a dictionary, may be <c>env:NAME</c>; resolved values never reach a message.</summary>
    public bool Secret { get; set; }

    /// <summary>A list that may also be written as one comma-separated string; duplicates are dropped.</summary>
    public bool CommaList { get; set; }

    /// <summary>Read by <see cref="ConfigLoader"/> itself (time zones, prices, rate limits): checked there, never bound.</summary>
    public bool Converted { get; set; }

    /// <summary>For a <see cref="Converted"/> key: the type its keys and values are checked against (and bound to) instead of the property's.</summary>
    public Type? Shape { get; set; }

    /// <summary>The problem with a bad value, <c>{0}</c> being the text; null for the type's usual message.</summary>
    public string? Invalid { get; set; }
}
