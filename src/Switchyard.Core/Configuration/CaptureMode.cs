namespace Switchyard.Configuration;

internal enum CaptureMode
{
    /// <summary>Request and response content stored with every call.</summary>
    Full,

    /// <summary>Content stored for a random <see cref="TracingOptions.SampleRate"/> of calls.</summary>
    Sample,

    /// <summary>No content: tokens, timings, ids and metadata only.</summary>
    Metadata,
}
