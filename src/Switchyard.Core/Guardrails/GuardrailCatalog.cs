using System.Security.Cryptography;
using Switchyard.Configuration;
using Switchyard.Embeddings;

namespace Switchyard.Guardrails;

/// <summary>
/// The guards of the configuration, built once, and which run for a call: the model group's own input and
/// output lists, else the defaults. Runs a list over a call's texts, timing each guard and following its
/// <c>on_error</c> when it fails.
/// </summary>
internal sealed class GuardrailCatalog
{
    private readonly Dictionary<string, Guard> _guards = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Guard[] Input, Guard[] Output)> _groups = new(StringComparer.Ordinal);
    private readonly (Guard[] Input, Guard[] Output) _default;
    private readonly bool _enabled;

    // A key's or team's list resolved once per stored list (a record replaced on every update), not per call.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string[], Guard[]> _lists = [];
    private readonly GuardrailMetrics _metrics;

    /// <param name="services">The gateway's services, for guards that ask a model group (judge, moderation); null outside a gateway (the CLI's in-process checks), where those guards fail and follow <c>on_error</c>.</param>
    public GuardrailCatalog(SwitchyardOptions options, EmbeddingBatcher embeddings, GuardrailMetrics metrics, IServiceProvider? services = null)
    {
        _metrics = metrics;
        var guardrails = options.Guardrails;
        var hashKey = RandomNumberGenerator.GetBytes(32);
        var budget = options.Cache.SemanticLookupBudget;
        var schemas = new Schema.JsonAnswerValidator();
        var time = (services?.GetService(typeof(TimeProvider)) as TimeProvider) ?? TimeProvider.System;
        var gateway = services is null ? null : new External.GatewaySelfCall(services);
        foreach (var (name, o) in guardrails.Guards)
        {
            _guards[name] = (o.Type, o.Backend) switch
            {
                (GuardType.Judge, _) or (_, GuardBackend.Judge) => new External.JudgeGuard(name, o, gateway, time),
                (_, GuardBackend.Moderation) => new External.ModerationGuard(name, o, services, time),
                _ => Local(name, o),
            };
        }

        _enabled = guardrails.Enabled;
        _default = guardrails.Enabled ? (Resolve(guardrails.Input), Resolve(guardrails.Output)) : ([], []);
        foreach (var (group, o) in guardrails.Enabled ? options.ModelGroups : [])
        {
            _groups[group] = (o.Guardrails.Input is { } input ? Resolve(input) : _default.Input, o.Guardrails.Output is { } output ? Resolve(output) : _default.Output);
        }

        Guard Local(string name, GuardOptions o) =>
            o.Type switch
            {
                GuardType.Injection => new Injection.InjectionGuard(name, o, Injection.InjectionDetector.Shared, embeddings, budget),
                GuardType.Pii => new Pii.PiiGuard(name, o, new Pii.PiiDetector(), hashKey),
                GuardType.Validation => new Validation.ValidationGuard(name, o),
                GuardType.Topic => new Topic.TopicGuard(name, o, embeddings, budget),
                GuardType.Toxicity => new Toxicity.ToxicityGuard(name, o, Toxicity.ToxicityDetector.Shared),
                GuardType.Leak => new Leak.LeakGuard(name, o),
                GuardType.Schema => new Schema.SchemaGuard(name, o, schemas, gateway),
                GuardType.Groundedness => new Groundedness.GroundednessGuard(name, o, embeddings),
                _ => throw new InvalidOperationException($"Unknown guard type {o.Type}."),
            };
    }

    public IEnumerable<Guard> Guards => _guards.Values;

    public bool TryGet(string name, out Guard guard) => _guards.TryGetValue(name, out guard!);

    public bool Has(string name) => _guards.ContainsKey(name);

    /// <summary>The lists model groups follow unless they name their own.</summary>
    public Guard[] Defaults(GuardDirection direction) => direction == GuardDirection.Input ? _default.Input : _default.Output;

    /// <summary>The input and output guards of a model group (the defaults for a group the configuration does not name, as discovered ones).</summary>
    public (Guard[] Input, Guard[] Output) For(string group) => _groups.GetValueOrDefault(group, _default);

    /// <summary>
    /// The lists for <paramref name="caller"/>'s call to <paramref name="group"/>: per direction the key's own
    /// list, else its team's, else the group's. A name no longer in <c>guardrails.guards</c> (the
    /// configuration changed since the key was saved) is skipped.
    /// </summary>
    public (Guard[] Input, Guard[] Output) For(string group, Gateway.Caller caller)
    {
        var lists = For(group);
        if (!_enabled || (caller.Key?.Guardrails is null && caller.Team?.Guardrails is null))
        {
            return lists;
        }

        return (Pick(caller.Key?.Guardrails?.Input ?? caller.Team?.Guardrails?.Input, lists.Input), Pick(caller.Key?.Guardrails?.Output ?? caller.Team?.Guardrails?.Output, lists.Output));
    }

    private Guard[] Pick(string[]? names, Guard[] inherited) =>
        names is null ? inherited : _lists.GetValue(names, n => [.. n.Where(_guards.ContainsKey).Select(x => _guards[x])]);

    /// <summary>
    /// Runs <paramref name="guards"/> in order over the run's texts. Stops at the first verdict that blocks
    /// and returns it; null when the call may go on.
    /// </summary>
    public async ValueTask<GuardVerdict?> RunAsync(IReadOnlyList<Guard> guards, GuardRun run, CancellationToken cancellationToken)
    {
        var callStart = run.Call?.StartTimestamp ?? 0;
        foreach (var guard in guards)
        {
            if (run.Report.Off?.Contains(guard.Name) == true)
            {
                continue;
            }

            var verdict = new GuardVerdict(guard.Name, guard.Type, run.Direction);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            if (callStart != 0)
            {
                verdict.Offset = System.Diagnostics.Stopwatch.GetElapsedTime(callStart, started);
            }

            try
            {
                await guard.CheckAsync(run, verdict, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                verdict.Error = ex is TimeoutException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                verdict.Fired = guard.Options.OnError == GuardErrorMode.Block;
                verdict.Action = verdict.Fired ? "block" : "allow";
            }

            verdict.Latency = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            run.Report.Add(verdict);
            if (verdict.Action == "block")
            {
                return verdict;
            }
        }

        return null;
    }

    private Guard[] Resolve(List<string> names) => [.. names.Select(n => _guards[n])];

    /// <summary>Counts a call's verdicts once they are final.</summary>
    public void Count(GuardrailReport report)
    {
        foreach (var verdict in report.Snapshot())
        {
            _metrics.Count(verdict);
        }
    }
}
