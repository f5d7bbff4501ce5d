namespace Switchyard.Guardrails.External;

/// <summary>An external backend (judge or moderation endpoint) that did not give a usable verdict; the guard follows <c>on_error</c>.</summary>
internal sealed class JudgeFailedException(string message) : Exception(message);
