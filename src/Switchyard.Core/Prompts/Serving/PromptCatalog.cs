using System.Collections.Concurrent;

namespace Switchyard.Prompts.Serving;

/// <summary>
/// The prompts the gateway renders, held in memory: each prompt's labels and newest version until it
/// changes (<see cref="PromptChangeFeed"/>), and compiled versions, which never change. A call whose
/// prompt is held resolves without touching the store (docs/benchmarks.md, "Prompt rendering").
/// </summary>
internal sealed class PromptCatalog : IDisposable
{
    /// <summary>Compiled versions kept at most; past it the cache starts over (versions are small, and rarely this many are live).</summary>
    public const int MaxCompiled = 10_000;

    private readonly IPromptStore _store;
    private readonly PromptChangeFeed _changes;
    private readonly ConcurrentDictionary<string, PromptSummary> _summaries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Name, int Version), CompiledPrompt> _compiled = new();

    // Bumped by every change: a summary read from the store before a change must not be kept after it.
    private long _generation;

    public PromptCatalog(IPromptStore store, PromptChangeFeed changes)
    {
        _store = store;
        _changes = changes;
        _changes.Changed += Forget;
    }

    public ValueTask<PromptResolution> ResolveAsync(PromptReference reference, CancellationToken cancellationToken)
    {
        if (reference.Version is { } version)
        {
            return _compiled.TryGetValue((reference.Name, version), out var held)
                ? ValueTask.FromResult(new PromptResolution(held, null, null))
                : LoadVersionAsync(reference.Name, version, null, cancellationToken);
        }

        return _summaries.TryGetValue(reference.Name, out var summary)
            ? ByLabelAsync(summary, reference.Label!, cancellationToken)
            : LoadSummaryAsync(reference, cancellationToken);
    }

    /// <summary>The prompt's summary (labels and newest version), held or read; null when there is no such prompt.</summary>
    public async ValueTask<PromptSummary?> SummaryAsync(string name, CancellationToken cancellationToken)
    {
        if (_summaries.TryGetValue(name, out var held))
        {
            return held;
        }

        var generation = Interlocked.Read(ref _generation);
        var summary = await _store.SummaryAsync(name, cancellationToken).ConfigureAwait(false);
        if (summary is not null && Interlocked.Read(ref _generation) == generation)
        {
            _summaries[name] = summary;
        }

        return summary;
    }

    public void Dispose() => _changes.Changed -= Forget;

    private async ValueTask<PromptResolution> LoadSummaryAsync(PromptReference reference, CancellationToken cancellationToken)
    {
        var summary = await SummaryAsync(reference.Name, cancellationToken).ConfigureAwait(false);
        return summary is null
            ? PromptResolution.Missing($"There is no prompt named '{reference.Name}'; GET /api/prompts lists them.")
            : await ByLabelAsync(summary, reference.Label!, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<PromptResolution> ByLabelAsync(PromptSummary summary, string label, CancellationToken cancellationToken)
    {
        int version;
        if (label == "latest")
        {
            version = summary.LatestVersion;
        }
        else if (!summary.Labels.TryGetValue(label, out version))
        {
            var known = string.Join(", ", summary.Labels.Keys.Order(StringComparer.Ordinal).Append("latest"));
            return ValueTask.FromResult(PromptResolution.Missing($"Prompt '{summary.Name}' has no label '{label}' (it has: {known}); name a label or a version."));
        }

        return _compiled.TryGetValue((summary.Name, version), out var held)
            ? ValueTask.FromResult(new PromptResolution(held, label, null))
            : LoadVersionAsync(summary.Name, version, label, cancellationToken);
    }

    private async ValueTask<PromptResolution> LoadVersionAsync(string name, int version, string? label, CancellationToken cancellationToken)
    {
        var stored = await _store.GetVersionAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return PromptResolution.Missing($"Prompt '{name}' has no version {version}.");
        }

        // Templates are checked when pushed, so a stored one compiles; if one ever does not, the call is refused, not failed.
        if (CompiledPrompt.TryCompile(stored, out var problem) is not { } compiled)
        {
            return PromptResolution.Missing($"Prompt '{name}' version {version} cannot be rendered: {problem}.");
        }

        if (_compiled.Count >= MaxCompiled)
        {
            _compiled.Clear();
        }

        _compiled[(name, version)] = compiled;
        return new PromptResolution(compiled, label, null);
    }

    private void Forget(string name)
    {
        Interlocked.Increment(ref _generation);
        _summaries.TryRemove(name, out _);
    }
}
