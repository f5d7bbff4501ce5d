namespace Switchyard.Hosting;

/// <summary>Langfuse's error body: the message, and the name of the error class Langfuse would have thrown.</summary>
internal sealed record LangfuseError(string Message, string Error);
