namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Input that cannot be translated. Thrown deep inside a translation and caught at its public entry
/// point, which turns it into an error result; it never leaves this namespace's APIs.
/// </summary>
internal sealed class TranslationException(string message) : Exception(message);
