namespace Switchyard.Configuration;

/// <summary>How an output guard checks a stream.</summary>
internal enum GuardStreaming
{
    /// <summary>Hold the whole answer, check it, then send it.</summary>
    Buffer,

    /// <summary>Hold back up to a window (or to the next sentence end), check it, send it; a violation ends the stream with an error event and never sends the flagged text.</summary>
    Window,

    /// <summary>Send as it comes and check after the fact: flag only.</summary>
    Async,
}
