using System.Text;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Guardrails.Groundedness;

namespace Switchyard.Guardrails.External;

/// <summary>
/// A guard decided by a model: an injection, toxicity or groundedness guard with <c>backend: judge</c>, or a
/// guard of type <c>judge</c> with the operator's own question. The model group in <c>model</c> is asked
/// through the gateway itself, so the judge's call is traced (a child of the guarded call), priced and
/// routed with fallbacks like any other. Its score (0–1) fires the guard at <c>threshold</c>.
/// </summary>
internal sealed class JudgeGuard(string name, GuardOptions options, GatewaySelfCall? gateway, TimeProvider time) : Guard(name, options)
{
    public const double DefaultThreshold = 0.5;

    public override bool IsExternal => true;

    private readonly string _system = JudgeQuestions.System(JudgeQuestions.For(options.Type, options.Prompt));

    public override async ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var content = Content(run);
        if (content is null)
        {
            verdict.Signals.Add(Type == GuardType.Groundedness ? "no_context" : "nothing_to_check");
            return;
        }

        if (gateway is null)
        {
            throw new JudgeFailedException("a judge asks a model group through a running gateway; run the check there (--url)");
        }

        var body = Request(content);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = gateway.ChatAsync(body, Name, run.Call, timeout.Token);
        (int Status, byte[] Body) reply;
        try
        {
            reply = await answer.WaitAsync(Options.Timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await timeout.CancelAsync().ConfigureAwait(false);
            throw new TimeoutException($"the judge '{Options.Model}' did not answer within {Options.Timeout.TotalSeconds:0.###} s");
        }

        var score = JudgeAnswer.Score(reply.Status, reply.Body);
        verdict.Signals.Add("judge");
        verdict.Score = Math.Round(score, 4);
        verdict.Fired = score >= (Options.Threshold ?? DefaultThreshold);
        verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
    }

    /// <summary>What the judge reads, in tags; null when the call has nothing this guard checks.</summary>
    private string? Content(GuardRun run)
    {
        var checkedTexts = run.Texts.Where(run.IsNewContent)
            .Select(t => t.Text).Where(t => t.Length > 0).ToList();
        if (checkedTexts.Count == 0)
        {
            return null;
        }

        var tag = run.Direction == GuardDirection.Output ? "answer" : "content";
        var text = new StringBuilder();
        if (Type == GuardType.Groundedness)
        {
            var contexts = GroundingContext.Of(run, Options);
            if (contexts.Count == 0)
            {
                return null;
            }

            text.Append("<context>\n").Append(JudgeQuestions.Cap(string.Join("\n\n", contexts))).Append("\n</context>\n");
        }

        text.Append('<').Append(tag).Append(">\n").Append(JudgeQuestions.Cap(string.Join("\n\n", checkedTexts))).Append("\n</").Append(tag).Append('>');
        return text.ToString();
    }

    private byte[] Request(string content)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteString("model", Options.Model);
            json.WriteNumber("temperature", 0);
            json.WriteNumber("max_tokens", 200);
            json.WriteStartArray("messages");
            foreach (var (role, text) in (ReadOnlySpan<(string, string)>)[("system", _system), ("user", content)])
            {
                json.WriteStartObject();
                json.WriteString("role", role);
                json.WriteString("content", text);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }
}
