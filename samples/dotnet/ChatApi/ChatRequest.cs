namespace Switchyard.Samples.ChatApi;

/// <summary>A message from the signed-in user (here simply named in the request) in a conversation.</summary>
internal sealed record ChatRequest(string Message, string? User, string? Session);
