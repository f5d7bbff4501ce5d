namespace Switchyard.Guardrails.Schema;

/// <summary>A tool call as the model answered it: the function's name and its arguments as sent (JSON text).</summary>
internal sealed record AnswerToolCall(string Name, string Arguments);
