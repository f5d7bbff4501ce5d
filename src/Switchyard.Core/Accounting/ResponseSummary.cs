namespace Switchyard.Accounting;

/// <summary>What accounting needs from one upstream JSON payload (a whole response or one stream event).</summary>
internal struct ResponseSummary
{
    public string? Model;
    public string? SystemFingerprint;
    public string? FinishReason;
    public TokenUsage? Usage;

    /// <summary>Number of entries in <c>choices</c>; -1 when the payload has none.</summary>
    public int ChoiceCount;

    /// <summary>True when a choice delta (or message) carries text, refusal, reasoning or tool calls.</summary>
    public bool HasContent;

    public bool HasError;
}
