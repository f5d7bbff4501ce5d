using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Spend.Alerts;

namespace Switchyard.Prompts.Traffic;

/// <summary>
/// Drives the running canary rollouts every <see cref="CheckEvery"/>: reads each one's calls since its step
/// began, and advances it, finishes it (moving the label with compare-and-set), or rolls it back with the
/// failing gate and its figures, sending an alert to the webhooks. State lives in the store, so a rollout
/// survives a restart, and each change is a compare-and-set, so two gateways never both act on one.
/// </summary>
internal sealed partial class RolloutService(
    IPromptTrafficStore splits,
    IPromptStore prompts,
    IPromptCallSamples samples,
    Serving.PromptChangeFeed changes,
    WebhookSender sender,
    SwitchyardOptions options,
    TimeProvider time,
    ILogger<RolloutService> logger) : BackgroundService
{
    public static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(15);

    /// <summary>One pass over the running rollouts; returns what was decided for each, for the log and the tests.</summary>
    public async Task<IReadOnlyList<(TrafficSplit Rollout, Rollouts.RolloutDecision Decision)>> CheckAsync(CancellationToken cancellationToken)
    {
        var decided = new List<(TrafficSplit, Rollouts.RolloutDecision)>();
        foreach (var rollout in await splits.RunningAsync(cancellationToken).ConfigureAwait(false))
        {
            if (rollout.Kind != SplitKind.Rollout)
            {
                continue;
            }

            var decision = await CheckOneAsync(rollout, cancellationToken).ConfigureAwait(false);
            decided.Add((rollout, decision));
        }

        return decided;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await CheckAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.CheckFailed(logger, ex.GetType().Name, ex.Message);
                }

                await Task.Delay(CheckEvery, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<Rollouts.RolloutDecision> CheckOneAsync(TrafficSplit rollout, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var labels = await prompts.LabelsAsync(rollout.Prompt, cancellationToken).ConfigureAwait(false);
        if (labels.GetValueOrDefault(rollout.Label) != rollout.FromVersion)
        {
            // Someone moved the label by hand: the rollout no longer knows what it compares against.
            var why = $"the label '{rollout.Label}' was moved by hand to version {labels.GetValueOrDefault(rollout.Label)}";
            await EndAsync(rollout, "cancelled", why, now, cancellationToken).ConfigureAwait(false);
            return Rollouts.RolloutDecision.Wait(why);
        }

        var calls = await samples.ReadAsync(rollout.Prompt, rollout.Label, rollout.StepStartedAt, null, cancellationToken).ConfigureAwait(false);
        var state = new Rollouts.RolloutState(Rollouts.RolloutStatus.Running, rollout.StepIndex, rollout.StepStartedAt, rollout.Revision);
        var decision = Rollouts.RolloutEvaluator.Evaluate(rollout.Plan(), state, [.. calls.Where(c => c.Variant == "stable")], [.. calls.Where(c => c.Variant == "canary")], now);
        switch (decision.Kind)
        {
            case Rollouts.RolloutDecisionKind.Advance:
                if (await splits.UpdateAsync(rollout with { StepIndex = rollout.StepIndex + 1, StepStartedAt = now }, rollout.Revision, cancellationToken).ConfigureAwait(false) is not null)
                {
                    changes.Publish(rollout.Prompt);
                    Log.Advanced(logger, rollout.Prompt, rollout.Label, rollout.ToVersion, rollout.Steps[rollout.StepIndex + 1]);
                }

                break;
            case Rollouts.RolloutDecisionKind.Complete:
                var moved = await prompts.MoveLabelAsync(rollout.Prompt, rollout.Label, rollout.ToVersion, $"rollout:{rollout.Id}", "canary rollout succeeded: " + decision.Reason, rollout.FromVersion, now, cancellationToken).ConfigureAwait(false);
                var done = moved is LabelMoveOutcome.Moved or LabelMoveOutcome.Unchanged;
                await EndAsync(rollout, done ? "succeeded" : "cancelled", done ? null : "the label moved while finishing", now, cancellationToken).ConfigureAwait(false);
                break;
            case Rollouts.RolloutDecisionKind.RollBack:
                if (await EndAsync(rollout, "failed", decision.Reason, now, cancellationToken).ConfigureAwait(false) is { } failed)
                {
                    Log.RolledBack(logger, rollout.Prompt, rollout.Label, rollout.ToVersion, decision.Reason);
                    await AlertAsync(failed, cancellationToken).ConfigureAwait(false);
                }

                break;
        }

        return decision;
    }

    private async Task<TrafficSplit?> EndAsync(TrafficSplit rollout, string status, string? failure, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ended = await splits.UpdateAsync(rollout with { Status = status, Failure = failure, EndedAt = now }, rollout.Revision, cancellationToken).ConfigureAwait(false);
        if (ended is not null)
        {
            changes.Publish(rollout.Prompt);
        }

        return ended;
    }

    private async Task AlertAsync(TrafficSplit failed, CancellationToken cancellationToken)
    {
        foreach (var webhook in options.Alerts.Webhooks)
        {
            var result = await sender.SendAsync(webhook, Body(failed, webhook.Format), options.Alerts.MaxAttempts, cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                Log.DeliveryFailed(logger, failed.Id, result.Target, result.Error);
            }
        }
    }

    /// <summary>The webhook body: Slack's <c>{"text"}</c>, or a JSON event with the figures.</summary>
    internal static byte[] Body(TrafficSplit failed, WebhookFormat format)
    {
        var text = $"Canary rollout of prompt {failed.Prompt} version {failed.ToVersion} on '{failed.Label}' rolled back at {failed.Steps[failed.StepIndex]} %: {failed.Failure}. The label stays on version {failed.FromVersion}.";
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            if (format == WebhookFormat.Slack)
            {
                json.WriteString("text", text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal));
            }
            else
            {
                json.WriteString("type", "prompt.rollout_failed");
                json.WriteString("rollout", failed.Id);
                json.WriteString("prompt", failed.Prompt);
                json.WriteString("label", failed.Label);
                json.WriteNumber("from_version", failed.FromVersion);
                json.WriteNumber("to_version", failed.ToVersion);
                json.WriteNumber("step_percent", failed.Steps[failed.StepIndex]);
                json.WriteString("reason", failed.Failure);
                json.WriteString("fired_at", failed.EndedAt!.Value.UtcDateTime);
                json.WriteString("dashboard", $"/ui/prompts/{Uri.EscapeDataString(failed.Prompt)}");
                json.WriteString("text", text);
            }

            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Rollout of prompt {Prompt} version {Version} on '{Label}' advanced to {Percent} %")]
        public static partial void Advanced(ILogger logger, string prompt, string label, int version, int percent);

        [LoggerMessage(2, LogLevel.Warning, "Rollout of prompt {Prompt} version {Version} on '{Label}' rolled back: {Reason}")]
        public static partial void RolledBack(ILogger logger, string prompt, string label, int version, string reason);

        [LoggerMessage(3, LogLevel.Warning, "Rollout check failed: {Type}: {Message}")]
        public static partial void CheckFailed(ILogger logger, string type, string message);

        [LoggerMessage(4, LogLevel.Warning, "Rollout alert {Rollout} not delivered to {Target}: {Error}")]
        public static partial void DeliveryFailed(ILogger logger, string rollout, string target, string? error);
    }
}
