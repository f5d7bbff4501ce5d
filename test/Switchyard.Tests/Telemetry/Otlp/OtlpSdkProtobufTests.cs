using System.Diagnostics;
using System.Text.Json;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchyard.Telemetry.Otlp;
using Xunit;

namespace Switchyard.Tests.Telemetry.Otlp;

/// <summary>Decodes protobuf bodies sent by the real OpenTelemetry .NET SDK and its OTLP/HTTP exporter.</summary>
public sealed class OtlpSdkProtobufTests
{
    [Fact]
    public async Task TryDecode_SdkExport_ReadsIdsParentsTimesAttributesAndGenAiFields()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await OtlpCaptureServer.StartAsync(ct);
        var sourceName = "Switchyard.Tests.Otlp." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName, "1.2.3");
        using var provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("travel-agent"))
            .AddSource(sourceName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(server.BaseUrl + "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();

        Activity agent, chat, tool;
        using (agent = source.StartActivity("invoke_agent planner", ActivityKind.Internal)!)
        {
            agent.SetTag("gen_ai.operation.name", "invoke_agent");
            agent.SetTag("gen_ai.agent.name", "planner");
            agent.SetTag("gen_ai.conversation.id", "conv-7");
            agent.SetTag("user.id", "u-42");
            using (chat = source.StartActivity("chat gpt-4o", ActivityKind.Client)!)
            {
                chat.SetTag("gen_ai.operation.name", "chat");
                chat.SetTag("gen_ai.provider.name", "openai");
                chat.SetTag("gen_ai.request.model", "gpt-4o");
                chat.SetTag("gen_ai.response.model", "gpt-4o-2024-08-06");
                chat.SetTag("gen_ai.usage.input_tokens", 120);
                chat.SetTag("gen_ai.usage.output_tokens", 35L);
                chat.SetTag("gen_ai.usage.cache_read.input_tokens", 64);
                chat.SetTag("gen_ai.request.temperature", 0.25);
                chat.SetTag("gen_ai.request.stream", true);
                chat.SetTag("gen_ai.response.finish_reasons", new[] { "stop", "length" });
                chat.SetTag("gen_ai.input.messages", """[{"role":"user","parts":[{"type":"text","content":"Weather in Paris?"}]}]""");
                chat.SetTag("gen_ai.output.messages", """[{"role":"assistant","parts":[{"type":"text","content":"Sunny."}]}]""");
                chat.AddEvent(new ActivityEvent("gen_ai.choice", tags: new ActivityTagsCollection { ["index"] = 0, ["finish_reason"] = "stop" }));
                chat.SetStatus(ActivityStatusCode.Ok);
            }

            using (tool = source.StartActivity("execute_tool get_weather", ActivityKind.Internal)!)
            {
                tool.SetTag("gen_ai.operation.name", "execute_tool");
                tool.SetTag("gen_ai.tool.name", "get_weather");
                tool.SetTag("gen_ai.tool.call.arguments", """{"city":"Paris"}""");
                tool.SetStatus(ActivityStatusCode.Error, "weather service down");
            }
        }

        Assert.True(provider.ForceFlush(10_000));

        var spans = new List<IngestedSpan>();
        foreach (var (path, contentType, body) in server.Posts)
        {
            Assert.Equal("/v1/traces", path);
            Assert.Equal("application/x-protobuf", contentType);
            Assert.True(OtlpTraceDecoder.TryDecode(body, OtlpEncoding.Protobuf, out var decoded, out var error), error);
            spans.AddRange(decoded);
        }

        Assert.Equal(3, spans.Count);
        var agentSpan = spans.Single(s => s.Name == "invoke_agent planner");
        var chatSpan = spans.Single(s => s.Name == "chat gpt-4o");
        var toolSpan = spans.Single(s => s.Name == "execute_tool get_weather");

        var traceId = agent.TraceId.ToHexString();
        Assert.All(spans, s => Assert.Equal(traceId, s.TraceId));
        Assert.Equal(agent.SpanId.ToHexString(), agentSpan.SpanId);
        Assert.Null(agentSpan.ParentSpanId);
        Assert.Equal(agent.SpanId.ToHexString(), chatSpan.ParentSpanId);
        Assert.Equal(agent.SpanId.ToHexString(), toolSpan.ParentSpanId);
        Assert.Equal(chat.SpanId.ToHexString(), chatSpan.SpanId);

        Assert.Equal(UnixNanos(chat.StartTimeUtc), chatSpan.StartUnixNano);
        Assert.Equal(UnixNanos(chat.StartTimeUtc + chat.Duration), chatSpan.EndUnixNano);
        Assert.Equal(3, chatSpan.Kind);
        Assert.Equal(1, agentSpan.Kind);

        Assert.All(spans, s => Assert.Equal("travel-agent", s.ServiceName));
        Assert.All(spans, s => Assert.Equal(sourceName, s.ScopeName));
        Assert.All(spans, s => Assert.Equal("1.2.3", s.ScopeVersion));

        // Attribute value types survive the trip: int → long, double, bool, string[] → object?[].
        Assert.Equal(120L, chatSpan.Attributes["gen_ai.usage.input_tokens"]);
        Assert.Equal(0.25, chatSpan.Attributes["gen_ai.request.temperature"]);
        Assert.Equal(true, chatSpan.Attributes["gen_ai.request.stream"]);
        Assert.Equal(new object?[] { "stop", "length" }, Assert.IsType<object?[]>(chatSpan.Attributes["gen_ai.response.finish_reasons"]));

        var choice = Assert.Single(chatSpan.Events);
        Assert.Equal("gen_ai.choice", choice.Name);
        Assert.Equal(0L, choice.Attributes["index"]);
        Assert.Equal("stop", choice.Attributes["finish_reason"]);
        Assert.InRange(choice.TimeUnixNano, chatSpan.StartUnixNano, chatSpan.EndUnixNano);

        Assert.Equal(1, chatSpan.StatusCode);
        Assert.Equal(2, toolSpan.StatusCode);
        Assert.Equal("weather service down", toolSpan.StatusMessage);

        Assert.Equal(ObservationType.Generation, chatSpan.Type);
        Assert.Equal("chat", chatSpan.Operation);
        Assert.Equal("gpt-4o-2024-08-06", chatSpan.Model);
        Assert.Equal("openai", chatSpan.Provider);
        Assert.Equal(120, chatSpan.InputTokens);
        Assert.Equal(35, chatSpan.OutputTokens);
        Assert.Equal(64, chatSpan.CachedInputTokens);
        Assert.Null(chatSpan.ReasoningTokens);
        Assert.Equal("Weather in Paris?", JsonDocument.Parse(chatSpan.Input!).RootElement[0].GetProperty("parts")[0].GetProperty("content").GetString());
        Assert.Contains("Sunny.", chatSpan.Output, StringComparison.Ordinal);

        Assert.Equal(ObservationType.Agent, agentSpan.Type);
        Assert.Equal("conv-7", agentSpan.SessionId);
        Assert.Equal("u-42", agentSpan.UserId);

        Assert.Equal(ObservationType.Tool, toolSpan.Type);
        Assert.Equal("get_weather", toolSpan.ToolName);
        Assert.Equal("""{"city":"Paris"}""", toolSpan.Input);
    }

    [Fact]
    public async Task TryDecode_SdkExportGzipped_RoundTripsThroughDecompress()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await OtlpCaptureServer.StartAsync(ct);
        var sourceName = "Switchyard.Tests.Otlp." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(sourceName);
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(server.BaseUrl + "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build();
        using (var activity = source.StartActivity("embeddings text-embedding-3-small"))
        {
            activity!.SetTag("gen_ai.operation.name", "embeddings");
            activity.SetTag("gen_ai.request.model", "text-embedding-3-small");
        }

        Assert.True(provider.ForceFlush(10_000));
        var (_, _, body) = Assert.Single(server.Posts);

        var gzipped = OtlpTestPayloads.Gzip(body);
        var inflated = OtlpTraceDecoder.Decompress(gzipped, body.Length);

        Assert.Equal(body, inflated);
        Assert.True(OtlpTraceDecoder.TryDecode(inflated, OtlpEncoding.Protobuf, out var spans, out var error), error);
        var span = Assert.Single(spans);
        Assert.Equal(ObservationType.Embedding, span.Type);
        Assert.Equal("text-embedding-3-small", span.Model);
        Assert.Throws<OtlpBodyTooLargeException>(() => OtlpTraceDecoder.Decompress(gzipped, body.Length - 1));
    }

    private static long UnixNanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;
}
