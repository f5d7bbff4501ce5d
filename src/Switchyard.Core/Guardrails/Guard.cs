using Switchyard.Configuration;

namespace Switchyard.Guardrails;

/// <summary>One named guard from the configuration: what it checks, and its action when it fires.</summary>
internal abstract class Guard(string name, GuardOptions options)
{
    public string Name { get; } = name;

    public GuardOptions Options { get; } = options;

    public GuardType Type => Options.Type;

    /// <summary>
    /// True for a guard that asks something outside the process (a judge model, a moderation endpoint):
    /// it may take seconds, so on a stream it checks the whole answer after it was sent.
    /// </summary>
    public virtual bool IsExternal => false;

    /// <summary>
    /// Checks the run's texts and fills <paramref name="verdict"/>: fired, score, findings. A guard that
    /// rewrites spans does so through <see cref="GuardRun.Replace"/>. Exceptions are the guard failing:
    /// the caller records them and follows <c>on_error</c>.
    /// </summary>
    public abstract ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken);
}
