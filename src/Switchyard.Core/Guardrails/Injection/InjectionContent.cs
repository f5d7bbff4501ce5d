namespace Switchyard.Guardrails.Injection;

/// <summary>Where a text came from, which changes what an injection looks like in it.</summary>
internal enum InjectionContent
{
    /// <summary>What the user typed: direct injections and jailbreaks.</summary>
    UserTurn,

    /// <summary>
    /// A tool result, retrieved page or quoted document: indirect injection, where the tell is
    /// imperative text addressed to the model inside content that should only be data.
    /// </summary>
    Data,
}
