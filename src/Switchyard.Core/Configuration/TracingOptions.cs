using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>What is kept of each call, and for how long.</summary>
internal sealed class TracingOptions
{
    [ConfigurationKeyName("capture")]
    public CaptureMode Capture { get; set; } = CaptureMode.Full;

    [ConfigurationKeyName("sample_rate")]
    public double SampleRate { get; set; } = 0.1;

    /// <summary>Longest request or response content stored per call; the rest is cut with a marker.</summary>
    [ConfigurationKeyName("max_content_bytes"), ConfigValue(Min = 0, Max = 64 * 1024 * 1024)]
    public int MaxContentBytes { get; set; } = 64 * 1024;

    /// <summary>Built-in pattern names (email, credit_card, api_key, phone, ipv4) or regular expressions, replaced before content is stored.</summary>
    [ConfigurationKeyName("redact")]
    public List<string> Redact { get; set; } = [];

    /// <summary>Calls, spans and scores older than this are deleted in the background.</summary>
    [ConfigurationKeyName("retention")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
}
