namespace Switchyard.Prompts;

/// <summary>
/// The prompt registry's storage: immutable numbered versions per prompt, labels that point at versions,
/// and an audit trail of every label move. Adding a version and moving a label are each atomic, also
/// between gateways sharing the store.
/// </summary>
internal interface IPromptStore
{
    /// <summary>
    /// Stores <paramref name="draft"/> as the prompt's next version, unless its content equals the newest
    /// version's: then that version is returned with <c>Created</c> false (pushing twice makes one version).
    /// </summary>
    Task<(PromptVersion Version, bool Created)> AddVersionAsync(PromptDraft draft, DateTimeOffset now, CancellationToken cancellationToken);

    Task<PromptVersion?> GetVersionAsync(string name, int version, CancellationToken cancellationToken);

    /// <summary>Every version of a prompt, newest first; empty when there is no such prompt.</summary>
    Task<IReadOnlyList<PromptVersion>> ListVersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every prompt, by name.</summary>
    Task<IReadOnlyList<PromptSummary>> ListPromptsAsync(CancellationToken cancellationToken);

    /// <summary>One prompt's newest version and labels, read together (one snapshot); null when there is no such prompt.</summary>
    Task<PromptSummary?> SummaryAsync(string name, CancellationToken cancellationToken);

    /// <summary>The prompt's labels and the versions they point at.</summary>
    Task<IReadOnlyDictionary<string, int>> LabelsAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Points <paramref name="label"/> at <paramref name="version"/> and audits the move, in one transaction.
    /// With <paramref name="expectedFrom"/>, moves only if the label still points there (0: only if it does not exist yet).
    /// </summary>
    Task<LabelMoveOutcome> MoveLabelAsync(string name, string label, int version, string actor, string? reason, int? expectedFrom, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Every move of the prompt's labels, newest first.</summary>
    Task<IReadOnlyList<PromptLabelMove>> LabelHistoryAsync(string name, CancellationToken cancellationToken);
}
