namespace Switchyard.Guardrails.Schema;

/// <summary>One reason an answer does not match what the request asked for.</summary>
/// <param name="Where">
/// A JSON pointer: into the answer's JSON for the content (<c>""</c> is the whole answer), or into the
/// assistant message for tool calls (<c>/tool_calls/0/function/arguments/city</c>).
/// </param>
/// <param name="Message">What is wrong, in words a model can act on in a retry.</param>
internal sealed record SchemaProblem(string Where, string Message);
