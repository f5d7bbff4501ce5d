using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Responses;
using Switchyard.Streaming;

namespace Switchyard.Guardrails;

/// <summary>
/// The output guards of one call, and the way back for pseudonyms: every answer the call gives (live,
/// cached, streamed) passes through here. A whole answer is checked at once; a stream by its guards'
/// <see cref="GuardStreaming"/> policy.
/// </summary>
/// <remarks>
/// <para>
/// Streams: text deltas are held while a <c>window</c> guard needs them (up to <c>window_chars</c>, or to
/// the end of a sentence), checked, and sent as one delta; a guard that blocks ends the stream with an
/// error event in the client's format before the flagged text is sent. A <c>buffer</c> guard holds the
/// whole answer; <c>async</c> guards read it after it was sent and can only flag. A delta that is not
/// text (a role, a tool call, the finish, usage) first releases the text held before it, so order is kept.
/// </para>
/// <para>
/// Pseudonyms are put back after the guards ran, and a text's tail that may be the start of a placeholder
/// still arriving is held until the next delta, so a placeholder split across chunks is restored whole.
/// </para>
/// </remarks>
internal sealed class OutputGuardrails : ResponseComponent
{
    private readonly GuardrailCatalog _catalog;
    private readonly Guard[] _window;
    private readonly Guard[] _async;
    private readonly Guard[] _external;
    private readonly Guard[] _all;
    private readonly GuardrailReport _report;
    private readonly bool _buffer;
    private readonly int _windowChars;
    private readonly Dictionary<string, GuardVerdict> _streamVerdicts = new(StringComparer.Ordinal);
    private readonly StringBuilder _held = new();
    private readonly StringBuilder _sent = new();
    private bool _rewrote;
    private byte[]? _templateName;
    private byte[]? _templateData;
    private JsonDocument? _request;
    private IReadOnlyList<GuardText>? _requestTexts;

    public OutputGuardrails(GuardrailCatalog catalog, Guard[] guards, GuardrailReport report)
    {
        _catalog = catalog;
        _all = guards;
        _report = report;
        // A schema reads the whole answer: in a window it could only ever see half a document.
        bool Whole(Guard g) => g.Options.Streaming == GuardStreaming.Async || (g.Type == GuardType.Schema && g.Options.Streaming == GuardStreaming.Window);
        _external = [.. guards.Where(g => g.IsExternal)];
        _async = [.. guards.Where(g => !g.IsExternal && Whole(g))];
        _window = [.. guards.Where(g => !g.IsExternal && !Whole(g))];
        _buffer = guards.Any(g => !g.IsExternal && g.Options.Streaming == GuardStreaming.Buffer);
        _windowChars = _window.Length == 0 ? 0 : _window.Min(g => g.Options.WindowChars);
    }

    public override bool WantsClientEvents => true;

    public override async ValueTask<PlainAnswer> OnPlainAsync(CallContext call, PlainAnswer answer)
    {
        if (answer.Origin == AnswerOrigin.Error || answer.Status != 200)
        {
            return answer;
        }

        List<(object[] Path, string Text)>? masked = null;
        List<(object[] Path, string Text)>? restored = null;
        var retried = false;
        while (true)
        {
            using (var document = JsonDocument.Parse(answer.Body))
            {
                var run = new GuardRun(AnswerTexts.Of(call.Api, document.RootElement), GuardDirection.Output, _report, call, Request(call)) { Answer = document.RootElement, RequestContent = RequestTextsOf(call) };
                if (run.Texts.Count == 0)
                {
                    return answer;
                }

                var before = _report.Snapshot().Length;
                var blocked = await _catalog.RunAsync(_all, run, call.Aborted).ConfigureAwait(false);
                if (!retried && answer.Origin == AnswerOrigin.Upstream && call.Api == ClientApi.ChatCompletions
                    && await RepairAsync(call, run, _report.Snapshot()[before..]).ConfigureAwait(false) is { } repaired)
                {
                    retried = true;
                    answer = answer with { Body = repaired };
                    continue;
                }

                if (blocked is not null)
                {
                    call.Http.Response.Headers[InputGuardrailStage.Header] = _report.Header();
                    return Error(call, 400, "invalid_request_error", InputGuardrailStage.BlockedMessage(blocked), "guardrail_blocked");
                }

                if (run.Changed.Count > 0)
                {
                    masked = [.. run.Changed.Select(i => (run.Texts[i].Path, run.Texts[i].Text))];
                }

                if (_report.Pseudonyms is { Count: > 0 } pseudonyms)
                {
                    restored = [];
                    foreach (var text in run.Texts)
                    {
                        var back = pseudonyms.Restore(text.Text);
                        if (!ReferenceEquals(back, text.Text))
                        {
                            restored.Add((text.Path, back));
                        }
                    }
                }
            }

            break;
        }

        call.Http.Response.Headers[InputGuardrailStage.Header] = _report.Header();
        var recorded = masked is null ? answer.Body : RequestTexts.Rewrite(answer.Body.Span, masked);
        if (restored is not { Count: > 0 })
        {
            return answer with { Body = recorded };
        }

        return answer with { Body = RequestTexts.Rewrite(recorded.Span, restored), Recorded = recorded };
    }

    /// <summary>
    /// A schema guard with <c>repair: retry</c> that fired on this answer asks once more; the new answer's body,
    /// or null when no guard asks for a repair or the retry failed (the guards' verdicts on the first answer stand).
    /// </summary>
    private async Task<byte[]?> RepairAsync(CallContext call, GuardRun run, GuardVerdict[] verdicts)
    {
        foreach (var verdict in verdicts)
        {
            if (!verdict.Fired || verdict.Error is not null || !_catalog.TryGet(verdict.Guard, out var guard) || guard is not Schema.SchemaGuard { Repairs: true } schema)
            {
                continue;
            }

            var answerText = run.Texts.FirstOrDefault(t => t.Content == GuardContent.Answer)?.Text;
            byte[]? repaired;
            try
            {
                repaired = await schema.RetryAsync(call, run.Request, answerText, verdict.Signals, call.Aborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutOfMemoryException)
            {
                repaired = null;
            }

            if (repaired is null)
            {
                verdict.Signals.Add("repair: the retry failed; the action applies to the first answer");
                return null;
            }

            // The first answer's verdicts stay on the trace; the one that asked for the retry says so.
            verdict.Action = "retry";
            return repaired;
        }

        return null;
    }

    public override void OnClientEvent(CallContext call, in SseEvent sseEvent, IBufferWriter<byte> output)
    {
        if (call.Response.IsCut)
        {
            return;
        }

        if (AnswerTexts.DeltaOf(call.Api, sseEvent) is not { } text)
        {
            Release(call, output, all: true);
            if (!call.Response.IsCut)
            {
                output.Write(sseEvent.Raw);
            }

            return;
        }

        if (_templateData is null)
        {
            _templateName = sseEvent.Name.ToArray();
            _templateData = sseEvent.Data.ToArray();
        }

        _held.Append(text);
        Release(call, output, all: false);
    }

    public override void OnStreamEnd(CallContext call, IBufferWriter<byte> output)
    {
        if (!call.Response.IsCut)
        {
            Release(call, output, all: true);
        }

        if (_async.Length > 0 && _sent.Length > 0)
        {
            var run = new GuardRun([new GuardText(_sent.ToString(), GuardContent.Answer, [], IsNew: true)], GuardDirection.Output, new GuardrailReport(), call, Request(call)) { RequestContent = RequestTextsOf(call) };
            Run(_async, run);
            foreach (var verdict in run.Report.Verdicts)
            {
                // Checked after the text was sent: it can only be recorded.
                if (verdict.Fired)
                {
                    verdict.Signals.Add($"async: {verdict.Action} not applied, the text was already sent");
                    verdict.Action = "flag";
                }

                _report.Add(verdict);
            }
        }

        foreach (var verdict in _streamVerdicts.Values)
        {
            _report.Add(verdict);
        }

        _streamVerdicts.Clear();
        if (_rewrote && call.Capture is { } capture)
        {
            capture.CheckedStreamText = _sent.ToString();
        }

        if (_external.Length > 0 && _sent.Length > 0)
        {
            // A judge may take seconds: it reads the whole answer after the call, and the record waits for it.
            var run = new GuardRun([new GuardText(_sent.ToString(), GuardContent.Answer, [], IsNew: true)], GuardDirection.Output, new GuardrailReport(), call, Request(call) is { ValueKind: JsonValueKind.Object } request ? request.Clone() : default)
            {
                RequestContent = RequestTextsOf(call),
            };
            _report.Defer(() => CheckAfterStreamAsync(run));
        }
    }

    private async Task CheckAfterStreamAsync(GuardRun run)
    {
        await _catalog.RunAsync(_external, run, CancellationToken.None).ConfigureAwait(false);
        foreach (var verdict in run.Report.Snapshot())
        {
            if (verdict.Fired)
            {
                verdict.Signals.Add($"async: {verdict.Action} not applied, the stream was already sent");
                verdict.Action = "flag";
            }

            _report.Add(verdict);
        }
    }

    /// <summary>Sends what may go now: all held text, or what a window allows, checked and restored.</summary>
    private void Release(CallContext call, IBufferWriter<byte> output, bool all)
    {
        if (_held.Length == 0 || _templateData is null)
        {
            return;
        }

        var held = _held.ToString();
        var cut = all ? held.Length : CutPoint(held);
        if (cut <= 0)
        {
            return;
        }

        var segment = held[..cut];
        if (_window.Length > 0)
        {
            var run = new GuardRun([new GuardText(segment, GuardContent.Answer, [], IsNew: true)], GuardDirection.Output, new GuardrailReport(), call, Request(call)) { RequestContent = RequestTextsOf(call) };
            var blocked = Run(_window, run);
            Merge(run.Report, _sent.Length);
            if (blocked is not null)
            {
                // The flagged text was never sent; the trace records what was (the stream may end here).
                _rewrote = true;
                if (call.Capture is { } capture)
                {
                    capture.CheckedStreamText = _sent.ToString();
                }

                _held.Clear();
                CutStream(call, output, 400, "invalid_request_error", InputGuardrailStage.BlockedMessage(blocked), "guardrail_blocked");
                return;
            }

            segment = run.Texts[0].Text;
            _rewrote |= run.Changed.Count > 0;
        }

        _sent.Append(segment);
        var text = _report.Pseudonyms is { Count: > 0 } pseudonyms ? pseudonyms.Restore(segment) : segment;
        _held.Remove(0, cut);
        if (text.Length > 0)
        {
            AnswerTexts.WriteDelta(call.Api, _templateName, _templateData, text, output);
        }
    }

    /// <summary>How much of the held text may be checked and sent before the next delta arrives.</summary>
    private int CutPoint(string held)
    {
        if (_buffer)
        {
            return 0;
        }

        var cut = held.Length;
        if (_window.Length > 0)
        {
            // The end of the last whole sentence, or of the last whole word once the window is full, so a
            // detector never sees half an entity.
            var sentence = LastSentenceEnd(held);
            cut = sentence > 0 ? sentence : held.Length >= _windowChars ? Math.Max(held.LastIndexOfAny([' ', '\n', '\t']) + 1, held.Length >= 4 * _windowChars ? held.Length : 0) : 0;
        }

        if (_report.Pseudonyms is { Count: > 0 } pseudonyms && cut > 0)
        {
            cut = Math.Min(cut, pseudonyms.SafeCut(held[..cut]));
        }

        return cut;
    }

    private static int LastSentenceEnd(string text)
    {
        for (var i = text.Length - 2; i >= 0; i--)
        {
            if ((text[i] is '.' or '!' or '?' && char.IsWhiteSpace(text[i + 1])) || text[i] == '\n')
            {
                return i + 1;
            }
        }

        return text.Length > 0 && text[^1] == '\n' ? text.Length : 0;
    }

    /// <summary>The request as sent (after the input guards), for the guards that read it: the system prompt, the context, the schema.</summary>
    private JsonElement Request(CallContext call)
    {
        try
        {
            _request ??= JsonDocument.Parse(call.Body.Memory);
            return _request.RootElement;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The request's texts, read once for every window of a stream.</summary>
    private IReadOnlyList<GuardText> RequestTextsOf(CallContext call) =>
        _requestTexts ??= Request(call) is { ValueKind: JsonValueKind.Object } root ? RequestTexts.Of(call.Api, root) : [];

    public override void Dispose() => _request?.Dispose();

    private GuardVerdict? Run(Guard[] guards, GuardRun run)
    {
        var pending = _catalog.RunAsync(guards, run, CancellationToken.None);

        // Output guards (PII, validation) decide without waiting on anything, so this completes at once.
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Folds one window's verdicts into the stream's: one verdict per guard for the whole answer.</summary>
    private void Merge(GuardrailReport window, int offset)
    {
        foreach (var verdict in window.Verdicts)
        {
            if (!_streamVerdicts.TryGetValue(verdict.Guard, out var whole))
            {
                whole = _streamVerdicts[verdict.Guard] = new GuardVerdict(verdict.Guard, verdict.Type, GuardDirection.Output) { Offset = verdict.Offset };
            }

            whole.Latency += verdict.Latency;
            whole.Error ??= verdict.Error;
            if (verdict.Fired)
            {
                whole.Fired = true;
                whole.Action = verdict.Action == "block" || whole.Action == "none" ? verdict.Action : whole.Action;
            }

            foreach (var finding in verdict.Findings)
            {
                whole.Findings.Add(finding with { Start = finding.Start + offset });
            }
        }
    }
}
