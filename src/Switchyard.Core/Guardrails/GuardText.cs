namespace Switchyard.Guardrails;

/// <summary>One text of a request or an answer, with where it came from so a guard that rewrites it can put it back.</summary>
/// <param name="Text">The text as sent.</param>
/// <param name="Content">Whose words these are.</param>
/// <param name="Path">The JSON path to the string in the body: property names and array indexes.</param>
/// <param name="IsNew">True for content after the last assistant turn: the turn being asked now. Earlier turns were checked when they were sent.</param>
internal sealed record GuardText(string Text, GuardContent Content, object[] Path, bool IsNew);
