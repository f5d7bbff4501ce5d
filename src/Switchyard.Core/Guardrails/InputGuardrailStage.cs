using System.Text.Json;
using Switchyard.Gateway;
using Switchyard.Identity;
using Switchyard.Ingress;

namespace Switchyard.Guardrails;

/// <summary>
/// Guards on the way in, after admission and before the cache: a blocked call costs nothing upstream, and
/// a rewritten prompt (masked, redacted, pseudonymised) is what is cached and sent. It also adds the output
/// guards' response component here, so they see every answer the call gives, cached replays included.
/// </summary>
/// <remarks>
/// <c>x-switchyard-guardrails: off=NAME[,NAME]</c> turns named guards off for one call, for a key with the
/// <c>guardrails_off</c> scope (or the admin key); the response's header of the same name says what ran
/// and what fired.
/// </remarks>
internal sealed class InputGuardrailStage(GuardrailCatalog catalog, Configuration.SwitchyardOptions options) : CallStage
{
    public const string Header = "x-switchyard-guardrails";

    private readonly RequestLimits _limits = new(options.Server.MaxJsonDepth, options.Server.MaxMessages);

    public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
    {
        var (input, output) = catalog.For(call.Group!.Name, call.Caller);
        if (input.Length + output.Length == 0 || External.GatewaySelfCall.IsSelfCall(call.Http))
        {
            await next(call).ConfigureAwait(false);
            return;
        }

        var report = new GuardrailReport();
        if (call.Http.Request.Headers[Header] is { Count: > 0 } asked)
        {
            if (!(call.Caller.IsAdmin || call.Caller.Key?.Scopes.Allows(KeyScopes.GuardrailsOff) == true))
            {
                await GatewayErrors.WriteAsync(call, 403, "permission_error", $"{Header}: this key may not turn guardrails off (it needs the guardrails_off scope).").ConfigureAwait(false);
                return;
            }

            if (OptOut.Parse(asked.ToString(), catalog, out var off) is { } problem)
            {
                await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", $"{Header}: {problem}").ConfigureAwait(false);
                return;
            }

            report.Off = off;
        }

        call.Guardrails = report;
        if (input.Length > 0 && !await CheckInputAsync(call, input, report).ConfigureAwait(false))
        {
            return;
        }

        if (output.Length > 0 || report.Pseudonyms is { Count: > 0 })
        {
            call.Response.Add(new OutputGuardrails(catalog, output, report));
        }

        call.Http.Response.Headers[Header] = report.Header();
        await next(call).ConfigureAwait(false);
    }

    /// <summary>False when the call was answered here (blocked, or its rewritten body refused).</summary>
    private async ValueTask<bool> CheckInputAsync(CallContext call, Guard[] input, GuardrailReport report)
    {
        List<(object[] Path, string Text)>? changes = null;
        using (var document = JsonDocument.Parse(call.Body.Memory))
        {
            var root = document.RootElement;
            var run = new GuardRun(RequestTexts.Of(call.Api, root), GuardDirection.Input, report, call, root);
            if (call.Api == ClientApi.ChatCompletions)
            {
                call.Turn ??= Embeddings.TurnEmbedding.Of(root, out _);
                if (call.Turn is { } turn)
                {
                    run.Turn = turn;
                    run.TurnIndex = run.Texts.FindLastIndex(t => t.Content == GuardContent.User && t.IsNew && t.Text == turn.Text);
                }
            }

            if (await catalog.RunAsync(input, run, call.Aborted).ConfigureAwait(false) is { } blocked)
            {
                call.Http.Response.Headers[Header] = report.Header();
                await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", BlockedMessage(blocked), "guardrail_blocked").ConfigureAwait(false);
                return false;
            }

            if (run.Changed.Count > 0)
            {
                changes = [.. run.Changed.Select(i => (run.Texts[i].Path, run.Texts[i].Text))];
            }
        }

        if (changes is not null && call.ReplaceBody(RequestBody.CopyOf(RequestTexts.Rewrite(call.Body.Span, changes)), _limits) is { } error)
        {
            await GatewayErrors.WriteAsync(call, 400, "invalid_request_error", $"The request rewritten by a guardrail no longer parses: {error}").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary>Names the guard and what it saw, never the text it saw it in.</summary>
    public static string BlockedMessage(GuardVerdict verdict)
    {
        if (verdict.Error is not null)
        {
            return $"The guardrail '{verdict.Guard}' could not check this call and is set to block when it fails (on_error: block).";
        }

        var what = verdict.Type switch
        {
            Configuration.GuardType.Injection => $"a prompt injection score of {verdict.Score:0.00}",
            Configuration.GuardType.Topic => $"a banned topic (similarity {verdict.Score:0.00})",
            _ when verdict.Findings.Count == 0 && verdict.Score is { } score => $"a score of {score:0.00}",
            _ => string.Join(", ", verdict.Findings.Where(f => f.Action == Configuration.GuardAction.Block || verdict.Type != Configuration.GuardType.Pii).Select(f => f.Type).Distinct()),
        };
        var where = verdict.Direction == GuardDirection.Output ? "answer" : "request";
        return $"The {where} was blocked by the guardrail '{verdict.Guard}': {what}.";
    }
}
