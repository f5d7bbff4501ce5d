namespace Switchyard.Chaos;

/// <summary>How the client gives up on a call on purpose.</summary>
internal enum CancelMode
{
    /// <summary>Read the whole answer.</summary>
    None,

    /// <summary>Streams: cancel as soon as the first SSE event arrived.</summary>
    AfterFirstChunk,

    /// <summary>Cancel after a fixed delay, wherever the call is.</summary>
    AfterDelay,
}
