using System.Text;

namespace Switchyard.Guardrails;

/// <summary>
/// The guardrails of one call: every verdict, the work some guards finish after the answer, the guards the
/// caller turned off, and the pseudonyms the upstream saw in place of the originals.
/// </summary>
internal sealed class GuardrailReport
{
    private readonly Lock _lock = new();
    private List<Func<Task>>? _deferred;
    private Task? _pending;

    public List<GuardVerdict> Verdicts { get; } = [];

    /// <summary>Guard names the caller turned off with <c>x-switchyard-guardrails: off=...</c>.</summary>
    public HashSet<string>? Off { get; set; }

    /// <summary>Placeholder → original, for the answer's way back; never recorded.</summary>
    public Pseudonyms? Pseudonyms { get; set; }

    public void Add(GuardVerdict verdict)
    {
        lock (_lock)
        {
            Verdicts.Add(verdict);
        }
    }

    /// <summary>The verdicts so far, copied: work deferred past the call may still add one while a record is written.</summary>
    public GuardVerdict[] Snapshot()
    {
        lock (_lock)
        {
            return [.. Verdicts];
        }
    }

    /// <summary>
    /// Work a verdict is completed by after the answer, started only once the call is over: by then the
    /// semantic lookup may have embedded the turn, and the work reuses that vector instead of queueing
    /// its own. The call is recorded once it ends.
    /// </summary>
    public void Defer(Func<Task> work)
    {
        lock (_lock)
        {
            (_deferred ??= []).Add(work);
        }
    }

    /// <summary>Starts the deferred work (once) and returns it; null when there is none.</summary>
    public Task? Pending
    {
        get
        {
            lock (_lock)
            {
                return _deferred is null ? null : _pending ??= Task.WhenAll(_deferred.Select(work => work()));
            }
        }
    }

    /// <summary><c>x-switchyard-guardrails</c>: each guard that ran, in order, with its outcome and, when it fired, its action.</summary>
    public string Header()
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            foreach (var verdict in Verdicts)
            {
                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(verdict.Guard).Append(verdict.Direction == GuardDirection.Output ? ":output:" : ":").Append(verdict.Outcome);
                if (verdict.Fired)
                {
                    text.Append('(').Append(verdict.Action).Append(')');
                }
            }

            foreach (var off in Off ?? [])
            {
                text.Append(text.Length > 0 ? ", " : "").Append(off).Append(":off");
            }
        }

        return text.ToString();
    }
}
