using Microsoft.Extensions.Configuration;

namespace Switchyard.Configuration;

/// <summary>Knobs of the simulated <c>sandbox</c> model.</summary>
internal sealed class SandboxOptions
{
    [ConfigurationKeyName("time_to_first_token")]
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.Zero;

    [ConfigurationKeyName("inter_token_delay")]
    public TimeSpan InterTokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Fraction of calls answered with a 500.</summary>
    [ConfigurationKeyName("error_rate")]
    public double ErrorRate { get; set; }

    /// <summary>Fraction of calls answered with a 429 and <c>Retry-After</c>.</summary>
    [ConfigurationKeyName("rate_limit_rate")]
    public double RateLimitRate { get; set; }

    [ConfigurationKeyName("retry_after")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fraction of calls that never answer (until the caller gives up).</summary>
    [ConfigurationKeyName("hang_rate")]
    public double HangRate { get; set; }

    /// <summary>Fraction of streams cut after <see cref="CutAfterChunks"/> chunks.</summary>
    [ConfigurationKeyName("cut_stream_rate")]
    public double CutStreamRate { get; set; }

    [ConfigurationKeyName("cut_after_chunks"), ConfigValue(Min = 0, Max = 1_000_000)]
    public int CutAfterChunks { get; set; } = 3;

    /// <summary>Words in a generated answer when the request sets no <c>max_tokens</c>.</summary>
    [ConfigurationKeyName("default_answer_tokens"), ConfigValue(Min = 1, Max = 100_000)]
    public int DefaultAnswerTokens { get; set; } = 48;

    /// <summary>Seed mixed into every answer; the same request and seed give the same answer.</summary>
    [ConfigurationKeyName("seed")]
    public int Seed { get; set; }
}
