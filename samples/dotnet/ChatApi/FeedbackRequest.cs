namespace Switchyard.Samples.ChatApi;

/// <summary>👍 (<see cref="ThumbsUp"/> true) or 👎 on the answer of a trace.</summary>
internal sealed record FeedbackRequest(string TraceId, bool ThumbsUp, string? Comment, string? User);
