namespace Switchyard.Prompts.Serving;

/// <summary>The prompt store as everything else sees it: every write that changes a prompt is published on <see cref="PromptChangeFeed"/>.</summary>
internal sealed class ObservedPromptStore(IPromptStore inner, PromptChangeFeed changes) : IPromptStore
{
    public async Task<(PromptVersion Version, bool Created)> AddVersionAsync(PromptDraft draft, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var added = await inner.AddVersionAsync(draft, now, cancellationToken).ConfigureAwait(false);
        if (added.Created)
        {
            changes.Publish(draft.Name);
        }

        return added;
    }

    public async Task<LabelMoveOutcome> MoveLabelAsync(string name, string label, int version, string actor, string? reason, int? expectedFrom, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var outcome = await inner.MoveLabelAsync(name, label, version, actor, reason, expectedFrom, now, cancellationToken).ConfigureAwait(false);
        if (outcome == LabelMoveOutcome.Moved)
        {
            changes.Publish(name);
        }

        return outcome;
    }

    public Task<PromptVersion?> GetVersionAsync(string name, int version, CancellationToken cancellationToken) => inner.GetVersionAsync(name, version, cancellationToken);

    public Task<IReadOnlyList<PromptVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken) => inner.ListVersionsAsync(name, cancellationToken);

    public Task<IReadOnlyList<PromptSummary>> ListPromptsAsync(CancellationToken cancellationToken) => inner.ListPromptsAsync(cancellationToken);

    public Task<PromptSummary?> SummaryAsync(string name, CancellationToken cancellationToken) => inner.SummaryAsync(name, cancellationToken);

    public Task<IReadOnlyDictionary<string, int>> LabelsAsync(string name, CancellationToken cancellationToken) => inner.LabelsAsync(name, cancellationToken);

    public Task<IReadOnlyList<PromptLabelMove>> LabelHistoryAsync(string name, CancellationToken cancellationToken) => inner.LabelHistoryAsync(name, cancellationToken);
}
