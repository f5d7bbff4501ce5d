using System.CommandLine;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Embeddings;
using Switchyard.Guardrails;
using Switchyard.Guardrails.Evaluation;

namespace Switchyard.Cli.Commands;

/// <summary>
/// <c>switchyard guard check "text"</c> and <c>switchyard guard eval --guard NAME FILE.jsonl</c>: the
/// guards of a configuration (<c>--config</c>, else the defaults of <c>serve</c> without one) run in this
/// process, the model included, so no gateway needs to be up.
/// </summary>
internal static class GuardCommand
{
    /// <summary>Rows checked at once: lookups that wait together share one run of the embedding model.</summary>
    private const int Concurrency = 8;

    public static Command Create() => new("guard", "Run guardrails outside the gateway: check a text, or score a detector on a labelled set") { Check(), Eval() };

    private static Command Check()
    {
        var text = new Argument<string>("text") { Description = "The text to check" };
        var guards = CliOptions.List("--guard", "Guard names to run (default: the configured input list, or output list with --content answer)");
        var content = CliOptions.OneOf("--content", "user (default), data (a tool result or document), instruction or answer", "user", "data", "instruction", "answer");
        var config = new Option<FileInfo?>("--config") { Description = "In process: the YAML configuration whose guards to run (default: none: injection and pii, as serve without a config file)" };
        var format = CliOptions.Format("table", "json");
        var api = new ApiOptions();
        var command = new Command("check", $"Run guards on one text and print each verdict (score, findings as types and positions, action): in this process, or on the gateway at --url / ${ApiOptions.UrlVariable} (POST /api/guardrails/check)") { text, guards, content, config, format };
        api.AddTo(command);
        command.SetAction(async (result, ct) =>
        {
            var kind = result.GetValue(content) ?? "user";
            var names = CliOptions.Values(result, guards);
            string body;
            if (result.GetValue(api.Url) is not null || ApiOptions.EnvironmentUrl is not null)
            {
                var request = new System.Text.Json.Nodes.JsonObject { ["text"] = result.GetValue(text), ["content"] = kind };
                if (names.Length > 0)
                {
                    request["guards"] = new System.Text.Json.Nodes.JsonArray([.. names.Select(n => (System.Text.Json.Nodes.JsonNode?)n)]);
                }

                var answer = "";
                var code = await ApiClient.RunAsync(result, api, async client =>
                {
                    answer = await client.SendAsync(HttpMethod.Post, "/api/guardrails/check", request, ct).ConfigureAwait(false);
                    return ExitCodes.Success;
                }, ct).ConfigureAwait(false);
                if (code != ExitCodes.Success)
                {
                    return code;
                }

                body = answer;
            }
            else
            {
                if (Load(result.GetValue(config)) is not { } options)
                {
                    return ExitCodes.InvalidConfiguration;
                }

                using var session = new GuardSession(options);
                var contentKind = kind switch
                {
                    "data" => GuardContent.Data,
                    "instruction" => GuardContent.Instruction,
                    "answer" => GuardContent.Answer,
                    _ => GuardContent.User,
                };
                if (session.Checker.Resolve(names, contentKind == GuardContent.Answer ? GuardDirection.Output : GuardDirection.Input, out var problem) is not { } resolved)
                {
                    await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                    return ExitCodes.Refused;
                }

                var check = await session.Checker.CheckTextAsync(result.GetValue(text)!, contentKind, resolved, ct).ConfigureAwait(false);
                using var stream = new MemoryStream();
                using (var json = new Utf8JsonWriter(stream))
                {
                    json.WriteStartObject();
                    json.WriteBoolean("blocked", check.Blocked is not null);
                    json.WritePropertyName("verdicts");
                    GuardrailJson.Write(json, check.Verdicts);
                    json.WriteString("text", check.Texts[0].Text);
                    json.WriteBoolean("changed", check.Changed.Count > 0);
                    json.WriteEndObject();
                }

                body = System.Text.Encoding.UTF8.GetString(stream.ToArray());
            }

            if (result.GetValue(format) == "json")
            {
                await Console.Out.WriteLineAsync(body).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            using var document = JsonDocument.Parse(body);
            var table = new TextTable(["guard", "verdict", "action", "score", "findings", "ms"]).AlignRight(3, 5);
            foreach (var verdict in document.RootElement.GetProperty("verdicts").EnumerateArray())
            {
                var findings = verdict.TryGetProperty("findings", out var f)
                    ? f.EnumerateArray().Select(x => x.TryGetProperty("start", out var start) ? $"{x.GetProperty("type").GetString()} {start.GetInt32()}-{x.GetProperty("end").GetInt32()}" : x.GetProperty("type").GetString()!)
                    : [];
                var signals = verdict.TryGetProperty("signals", out var s) ? s.EnumerateArray().Select(x => x.GetString()!) : [];
                table.Add(
                    verdict.GetProperty("guard").GetString()!,
                    verdict.GetProperty("verdict").GetString()!,
                    verdict.GetProperty("action").GetString()!,
                    verdict.TryGetProperty("score", out var score) ? score.GetDouble().ToString("0.000", CultureInfo.InvariantCulture) : "",
                    string.Join(", ", findings.Concat(signals).Distinct()),
                    verdict.GetProperty("latency_ms").GetDouble().ToString("0.00", CultureInfo.InvariantCulture));
            }

            await table.WriteAsync(Console.Out).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("changed", out var changed) && changed.GetBoolean())
            {
                await Console.Out.WriteLineAsync($"rewritten: {document.RootElement.GetProperty("text").GetString()}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Eval()
    {
        var file = new Argument<FileInfo>("file") { Description = "Labelled JSONL: {\"text\",\"label\":0|1,\"category\"} for injection and topic guards, {\"text\",\"entities\":[{\"type\",\"start\",\"end\"}]} (code points) for pii" };
        var guard = new Option<string>("--guard") { Description = "The guard to score (a name from the configuration)", Required = true };
        var predictions = new Option<FileInfo?>("--predictions") { Description = "Also write one line per row, {\"text\",\"pred\"} or {\"text\",\"entities\"}, for the reference scorer (score.py)" };
        var types = CliOptions.List("--types", "pii: only these entity types (default: every type in the file)");
        var content = CliOptions.OneOf("--content", "score texts as user (default) or data (tool results, documents)", "user", "data");
        var config = new Option<FileInfo?>("--config") { Description = "YAML configuration whose guard to score (default: none: injection and pii, as serve without a config file)" };
        var format = CliOptions.Format("table", "json");
        var command = new Command("eval", "Score a guard on a labelled set: precision, recall, F1, balanced accuracy and false-positive rate, overall and per category (per entity type for pii)") { file, guard, predictions, types, content, config, format };
        command.SetAction(async (result, ct) =>
        {
            if (Load(result.GetValue(config)) is not { } options)
            {
                return ExitCodes.InvalidConfiguration;
            }

            using var session = new GuardSession(options);
            if (session.Checker.Resolve([result.GetValue(guard)!], GuardDirection.Input, out var problem) is not [var chosen])
            {
                await Console.Error.WriteLineAsync(problem).ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            var spans = chosen.Type == GuardType.Pii;
            if (!spans && chosen.Type is not (GuardType.Injection or GuardType.Topic))
            {
                await Console.Error.WriteLineAsync($"guard eval scores injection, topic and pii guards; '{chosen.Name}' is a {chosen.Type.ToString().ToLowerInvariant()} guard.").ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            List<LabelledRow> rows;
            try
            {
                rows = GuardEvaluation.Read(result.GetValue(file)!.FullName, spans);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
                return ExitCodes.Refused;
            }

            var kind = result.GetValue(content) == "data" ? GuardContent.Data : GuardContent.User;
            var verdicts = new GuardVerdict[rows.Count];
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await Parallel.ForEachAsync(Enumerable.Range(0, rows.Count), new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = ct }, async (i, token) =>
                verdicts[i] = (await session.Checker.CheckTextAsync(rows[i].Text, kind, [chosen], token).ConfigureAwait(false)).Verdicts[0]).ConfigureAwait(false);
            var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

            if (spans)
            {
                var found = verdicts.Select((v, i) => (IReadOnlyList<LabelledSpan>)[.. v.Findings.Select(f => new LabelledSpan(f.Type, CodePoints.FromUtf16(rows[i].Text, f.Start), CodePoints.FromUtf16(rows[i].Text, f.Start + f.Length)))]).ToList();
                var only = CliOptions.Values(result, types) is { Length: > 0 } t ? new HashSet<string>(t, StringComparer.Ordinal) : null;
                await WritePredictionsAsync(result.GetValue(predictions), rows, (json, i) =>
                {
                    json.WriteStartArray("entities");
                    foreach (var e in found[i])
                    {
                        json.WriteStartObject();
                        json.WriteString("type", e.Type);
                        json.WriteNumber("start", e.Start);
                        json.WriteNumber("end", e.End);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                }).ConfigureAwait(false);
                await GuardEvalReport.SpansAsync(Console.Out, GuardEvaluation.Spans(rows, found, only), rows.Count, elapsed, result.GetValue(format) == "json").ConfigureAwait(false);
            }
            else
            {
                var predicted = verdicts.Select(v => v.Fired).ToList();
                await WritePredictionsAsync(result.GetValue(predictions), rows, (json, i) =>
                {
                    json.WriteNumber("pred", predicted[i] ? 1 : 0);
                    json.WriteNumber("score", Math.Round(verdicts[i].Score ?? 0, 4));
                }).ConfigureAwait(false);
                await GuardEvalReport.DecisionsAsync(Console.Out, GuardEvaluation.Decisions(rows, predicted), elapsed, result.GetValue(format) == "json").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task WritePredictionsAsync(FileInfo? path, List<LabelledRow> rows, Action<Utf8JsonWriter, int> write)
    {
        if (path is null)
        {
            return;
        }

        await using var file = File.Create(path.FullName);
        for (var i = 0; i < rows.Count; i++)
        {
            await using (var json = new Utf8JsonWriter(file))
            {
                json.WriteStartObject();
                json.WriteString("text", rows[i].Text);
                write(json, i);
                json.WriteEndObject();
            }

            file.WriteByte((byte)'\n');
        }
    }

    private static SwitchyardOptions? Load(FileInfo? config)
    {
        try
        {
            return new ConfigLoader().Load(config?.FullName);
        }
        catch (ConfigurationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return null;
        }
    }

    /// <summary>The guards of a configuration with the model they share, for the life of one command.</summary>
    private sealed class GuardSession : IDisposable
    {
        private readonly Meter _meter = new("Switchyard.Cli.Guard");
        private readonly EmbeddingBatcher _embeddings = new(MiniLmEmbedder.Shared, TimeProvider.System);

        public GuardSession(SwitchyardOptions options) => Checker = new GuardrailChecker(new GuardrailCatalog(options, _embeddings, new GuardrailMetrics(_meter)));

        public GuardrailChecker Checker { get; }

        public void Dispose()
        {
            _embeddings.Dispose();
            _meter.Dispose();
        }
    }
}
