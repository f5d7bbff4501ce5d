namespace Switchyard.Chaos;

/// <summary>What the chaos upstream does to a call chosen to fail.</summary>
internal enum FaultKind
{
    /// <summary>Answer an HTTP status with an OpenAI error body.</summary>
    Status,

    /// <summary>Abort the connection before any response byte.</summary>
    Reset,

    /// <summary>Never answer; wait for the client to give up.</summary>
    Hang,

    /// <summary>Answer normally after a delay before the first byte.</summary>
    SlowFirstByte,

    /// <summary>Streams: send some chunks, then abort. Plain answers: headers and half the body, then abort.</summary>
    Cut,
}
