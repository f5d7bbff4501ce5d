using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Configuration;
using Switchyard.Providers;
using Switchyard.Routing;

namespace Switchyard.Guardrails.External;

/// <summary>
/// A toxicity guard decided by the <c>/moderations</c> endpoint of the OpenAI-format deployments of the model
/// group in <c>model</c> (in order; the next when one fails). The score is the highest category score of the
/// categories that count (all when <c>categories</c> is empty), or 1 when the endpoint flags the text.
/// </summary>
internal sealed class ModerationGuard(string name, GuardOptions options, IServiceProvider? services, TimeProvider time) : Guard(name, options)
{
    public const double DefaultThreshold = 0.5;

    public override bool IsExternal => true;

    private ModelGroup? _group;
    private UpstreamHttp? _http;

    public override async ValueTask CheckAsync(GuardRun run, GuardVerdict verdict, CancellationToken cancellationToken)
    {
        var texts = run.Texts.Where(run.IsNewContent)
            .Select(t => JudgeQuestions.Cap(t.Text)).Where(t => t.Length > 0).ToList();
        if (texts.Count == 0)
        {
            verdict.Signals.Add("nothing_to_check");
            return;
        }

        if (services is null)
        {
            throw new JudgeFailedException("a moderation backend is called by a running gateway; run the check there (--url)");
        }

        _http ??= services.GetRequiredService<UpstreamHttp>();
        if (_group is null && !services.GetRequiredService<ModelCatalog>().TryGet(Options.Model!, out _group))
        {
            throw new JudgeFailedException($"the model group '{Options.Model}' is not served");
        }

        var deployments = _group.Deployments.Where(d => d.Provider == "openai").ToList();
        if (deployments.Count == 0)
        {
            throw new JudgeFailedException($"the model group '{Options.Model}' has no OpenAI-format deployment with a /moderations endpoint");
        }

        using var timer = new CancellationTokenSource(Options.Timeout, time);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        string? failure = null;
        foreach (var deployment in deployments)
        {
            try
            {
                var score = await ScoreAsync(deployment, texts, timeout.Token).ConfigureAwait(false);
                verdict.Signals.Add("moderation");
                verdict.Score = Math.Round(score, 4);
                verdict.Fired = score >= (Options.Threshold ?? DefaultThreshold);
                verdict.Action = verdict.Fired ? Options.Action.ToString().ToLowerInvariant() : "none";
                return;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the moderation endpoint of '{Options.Model}' did not answer within {Options.Timeout.TotalSeconds:0.###} s");
            }
            catch (Exception ex) when (ex is JudgeFailedException or HttpRequestException or IOException or JsonException)
            {
                failure = $"{deployment.Name}: {ex.Message}";
            }
        }

        throw new JudgeFailedException($"no moderation endpoint of '{Options.Model}' answered ({failure})");
    }

    private async Task<double> ScoreAsync(Deployment deployment, List<string> texts, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("model", deployment.Model);
            json.WriteStartArray("input");
            foreach (var text in texts)
            {
                json.WriteStringValue(text);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(Providers.OpenAI.OpenAIAdapter.ApiBase(deployment.Options.BaseUrl) + "moderations"))
        {
            Content = new ByteArrayContent(body.ToArray()) { Headers = { ContentType = new("application/json") } },
        };
        if (deployment.BearerAuthorization is { } authorization)
        {
            message.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        await using var response = await _http!.SendAsync(message, deployment.Options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccess)
        {
            throw new JudgeFailedException($"answered {response.StatusCode}");
        }

        using var document = await JsonDocument.ParseAsync(response.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        return Score(document.RootElement);
    }

    /// <summary>The worst result: 1 for a flagged text when no counted category says otherwise, else the highest counted category score.</summary>
    private double Score(JsonElement root)
    {
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new JudgeFailedException("the answer has no results array");
        }

        double worst = 0;
        foreach (var result in results.EnumerateArray())
        {
            if (result.ValueKind != JsonValueKind.Object)
            {
                throw new JudgeFailedException("a result is not an object");
            }

            var counted = false;
            if (result.TryGetProperty("category_scores", out var scores) && scores.ValueKind == JsonValueKind.Object)
            {
                foreach (var category in scores.EnumerateObject())
                {
                    if (category.Value.ValueKind == JsonValueKind.Number && Counts(category.Name))
                    {
                        counted = true;
                        worst = Math.Max(worst, Math.Clamp(category.Value.GetDouble(), 0, 1));
                    }
                }
            }

            if (!counted && result.TryGetProperty("flagged", out var flagged) && flagged.ValueKind == JsonValueKind.True)
            {
                worst = 1;
            }
        }

        return worst;
    }

    /// <summary>
    /// OpenAI's categories ("harassment/threatening", "self-harm/intent") count when <c>categories</c> is empty,
    /// or when one of the gateway's names is their stem (threat, insult, sexual, self_harm, identity_attack).
    /// </summary>
    private bool Counts(string category)
    {
        if (Options.Categories.Count == 0)
        {
            return true;
        }

        var stem = category.Replace('-', '_').ToLowerInvariant();
        return Options.Categories.Any(c => c switch
        {
            "threat" => stem.Contains("threatening", StringComparison.Ordinal) || stem.StartsWith("violence", StringComparison.Ordinal),
            "insult" => stem.StartsWith("harassment", StringComparison.Ordinal),
            "identity_attack" => stem.StartsWith("hate", StringComparison.Ordinal),
            "sexual" => stem.StartsWith("sexual", StringComparison.Ordinal),
            "self_harm" => stem.StartsWith("self_harm", StringComparison.Ordinal),
            _ => stem.StartsWith(c, StringComparison.Ordinal),
        });
    }
}
