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

    /// <summary>Insults, threats, profanity, sexual content, identity attacks and self-harm, by a lexicon that sees through obfuscation.</summary>
    Toxicity,

    /// <summary>Answers: a long verbatim span of the system prompt, or a canary token.</summary>
    Leak,

    /// <summary>Answers: JSON that parses and matches the request's <c>response_format</c> schema, and tool arguments that match their tool's.</summary>
    Schema,

    /// <summary>Answers: sentences the request's context (tool results, delimited documents) does not support.</summary>
    Groundedness,

    /// <summary>Either way: a model group, asked through the gateway, answers a question of the operator's (<c>prompt</c>) with a score.</summary>
    Judge,
}
