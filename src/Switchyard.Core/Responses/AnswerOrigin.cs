namespace Switchyard.Responses;

/// <summary>Where an answer came from, so a response component can treat each kind as it should.</summary>
internal enum AnswerOrigin
{
    /// <summary>A deployment's answer, relayed or translated.</summary>
    Upstream,

    /// <summary>A cached answer replayed (exact or semantic hit); a stream is rendered from it after the components saw it whole.</summary>
    Cache,

    /// <summary>An answer the gateway made itself (token counting done locally).</summary>
    Local,

    /// <summary>An error in the client's format: the gateway's own, or an upstream error relayed.</summary>
    Error,
}
