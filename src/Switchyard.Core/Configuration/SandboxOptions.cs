namespace Switchyard.Configuration;

/// <summary>Knobs of the simulated <c>sandbox</c> model.</summary>
internal sealed class SandboxOptions
{
    public TimeSpan TimeToFirstToken { get; set; } = TimeSpan.Zero;

    public TimeSpan InterTokenDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Fraction of calls answered with a 500.</summary>
    public double ErrorRate { get; set; }

    /// <summary>Fraction of calls answered with a 429 and <c>Retry-After</c>.</summary>
    public double RateLimitRate { get; set; }

    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fraction of calls that never answer (until the caller gives up).</summary>
    public double HangRate { get; set; }

    /// <summary>Fraction of streams cut after <see cref="CutAfterChunks"/> chunks.</summary>
    public double CutStreamRate { get; set; }

    public int CutAfterChunks { get; set; } = 3;

    /// <summary>Words in a generated answer when the request sets no <c>max_tokens</c>.</summary>
    public int DefaultAnswerTokens { get; set; } = 48;

    /// <summary>Seed mixed into every answer; the same request and seed give the same answer.</summary>
    public int Seed { get; set; }
}
