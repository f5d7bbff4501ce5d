namespace Switchyard.Tests.Recording;

/// <summary>A stored call as the contract checks it; tags as their own rows, the way tag filters find them.</summary>
internal sealed record StoredCallView(long Id, string TraceId, int Status, string? ModelGroup, string? KeyId, string? Team, long? CostNanoUsd, string? RequestContent, string? ResponseContent, string AttemptsJson, IReadOnlyList<string> Tags);
