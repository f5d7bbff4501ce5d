namespace Switchyard.Configuration;

/// <summary>What a guard checks.</summary>
internal enum GuardType
{
    /// <summary>Prompt injection and jailbreaks: normalisation, heuristics and a classifier over the turn's embedding.</summary>
    Injection,

    /// <summary>Personal data and secrets: checksummed formats, phone numbers, names and places.</summary>
    Pii,

    /// <summary>Input size, parameter ranges and regex allow and deny lists.</summary>
    Validation,

    /// <summary>Banned topics, by embedding similarity to example texts.</summary>
    Topic,
}
