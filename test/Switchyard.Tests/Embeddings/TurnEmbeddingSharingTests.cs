using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Embeddings;
using Switchyard.Gateway;
using Switchyard.Ingress;
using Switchyard.Tests.Caching;
using Xunit;
using static Switchyard.Tests.Caching.CacheHarness;

namespace Switchyard.Tests.Embeddings;

/// <summary>
/// One embedding per call: a stage before the cache that needs the last user turn's meaning (as the
/// injection classifier, topic guard and semantic router will) embeds it once, and the semantic cache's
/// lookup and index reuse that vector.
/// </summary>
public sealed class TurnEmbeddingSharingTests
{
    [Fact]
    public async Task A_turn_embedded_before_the_cache_is_not_embedded_again_by_the_lookup_or_the_index()
    {
        await using var upstream = await Upstream();
        using var embedder = new GatedEmbedder();
        var seen = new List<float[]>();
        await using var gateway = await CacheGateway(
            upstream,
            configure: o => o.Cache.Semantic = true,
            services: s =>
            {
                s.AddSingleton(_ => new EmbeddingBatcher(embedder, TimeProvider.System));
                s.AddSingleton(sp => new PlacedStage(PipelinePlace.InputGuardrails, new MeaningStage(sp.GetRequiredService<EmbeddingBatcher>(), seen)));
            });
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Completed == 1); // the start-up warm-up
        embedder.ResetCounts();

        // A miss in an empty scope: the stage's embedding is the only one; the index reuses it.
        Assert.Equal("miss", Header(await PostAsync(gateway, Chat("How do I reset my account password?")), "x-switchyard-cache"));
        await IndexedAsync(gateway, 1);
        Assert.Equal(1, embedder.Entered);

        // A paraphrase: the stage embeds it, the lookup compares that same vector and hits.
        Assert.Equal("semantic", Header(await PostAsync(gateway, Chat("How can I reset the password of my account?")), "x-switchyard-cache"));
        Assert.Equal(2, embedder.Entered);
        Assert.Equal(2, seen.Count);
    }

    [Fact]
    public async Task The_default_guards_flag_only_classifier_reuses_the_vector_the_cache_computes()
    {
        await using var upstream = await Upstream();
        using var embedder = new GatedEmbedder();
        await using var gateway = await CacheGateway(
            upstream,
            configure: o =>
            {
                o.Cache.Semantic = true;
                o.Guardrails = Switchyard.Configuration.GuardrailOptions.Default();
            },
            services: s => s.AddSingleton(_ => new EmbeddingBatcher(embedder, TimeProvider.System)));
        await SemanticIndexingTests.WaitUntilAsync(() => embedder.Completed == 1);
        embedder.ResetCounts();

        // A miss in an empty scope is embedded once, by the indexer; the classifier waits for that vector.
        var first = await PostAsync(gateway, Chat("How do I reset my account password?"));
        Assert.Equal("injection:deferred, pii:pass", Header(first, "x-switchyard-guardrails"));
        await IndexedAsync(gateway, 1);

        // A paraphrase is embedded once, by the lookup, before the classifier reads it.
        Assert.Equal("semantic", Header(await PostAsync(gateway, Chat("How can I reset the password of my account?")), "x-switchyard-cache"));
        await SemanticIndexingTests.WaitUntilAsync(() => gateway.Services.GetRequiredService<Switchyard.Recording.CallRecorder>().Enqueued == 2);
        Assert.Equal(2, embedder.Entered);
    }

    [Fact]
    public void A_rewritten_body_drops_the_turn_taken_from_the_old_one()
    {
        var limits = new RequestLimits(64, 1000);
        var call = new CallContext(new Microsoft.AspNetCore.Http.DefaultHttpContext(), ClientApi.ChatCompletions, 0, DateTimeOffset.UnixEpoch, TraceIds.FromHeader(null, TimeProvider.System));
        Assert.Null(call.ReplaceBody(RequestBody.CopyOf(Encoding.UTF8.GetBytes(Chat("my card is 4111 1111 1111 1111"))), limits));
        using (var document = JsonDocument.Parse(call.Body.Memory))
        {
            call.Turn = TurnEmbedding.Of(document.RootElement, out _);
        }

        Assert.Equal("my card is 4111 1111 1111 1111", call.Turn!.Text);
        Assert.Null(call.ReplaceBody(RequestBody.CopyOf(Encoding.UTF8.GetBytes(Chat("my card is [REDACTED]"))), limits));
        Assert.Null(call.Turn);
    }

    /// <summary>What a guard comparing meaning does: take the turn out once, embed it through the shared worker.</summary>
    private sealed class MeaningStage(EmbeddingBatcher embeddings, List<float[]> seen) : CallStage
    {
        public override async ValueTask InvokeAsync(CallContext call, CallDelegate next)
        {
            if (call.Turn is null)
            {
                using var document = JsonDocument.Parse(call.Body.Memory);
                call.Turn = TurnEmbedding.Of(document.RootElement, out _);
            }

            if (call.Turn is { } turn && await embeddings.VectorOfAsync(turn, TimeSpan.MaxValue, call.Aborted) is { } vector)
            {
                lock (seen)
                {
                    seen.Add(vector);
                }
            }

            await next(call);
        }
    }
}
