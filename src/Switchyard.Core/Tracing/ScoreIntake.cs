namespace Switchyard.Tracing;

/// <summary>Scores and feedback from the API and the dashboard: parsed, checked against the trace's owner, then stored.</summary>
internal sealed class ScoreIntake(IScoreStore store, ITraceOwnership ownership, TimeProvider time)
{
    /// <summary>Parses and stores a score; returns its id, or the problem and its status (400, or 404 for a trace the writer may not reach).</summary>
    public Task<(long Id, string? Error, int Status)> AddScoreAsync(byte[] body, TraceWriter writer, CancellationToken cancellationToken = default) =>
        AddAsync(ScoreParser.ParseScore(body), writer, cancellationToken);

    /// <summary>
    /// Feedback from an end user: <c>value</c> is "up"/"down", 👍/👎, true/false, 1/-1 or a number; stored
    /// as the numeric score <c>feedback</c> from source <c>feedback</c>.
    /// </summary>
    public Task<(long Id, string? Error, int Status)> AddFeedbackAsync(byte[] body, TraceWriter writer, CancellationToken cancellationToken = default) =>
        AddAsync(ScoreParser.ParseFeedback(body), writer, cancellationToken);

    private async Task<(long Id, string? Error, int Status)> AddAsync((NewScore? Score, string? Error) parsed, TraceWriter writer, CancellationToken cancellationToken)
    {
        if (parsed.Score is not { } score)
        {
            return (0, parsed.Error, 400);
        }

        // Another team's trace is answered as if it did not exist: its id is not confirmed.
        if ((await ownership.RefusedAsync([score.TraceId], writer, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return (0, $"No trace {score.TraceId}.", 404);
        }

        return (await store.AddAsync(score, writer, time.GetUtcNow(), cancellationToken).ConfigureAwait(false), null, 201);
    }
}
