using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchyard.Client;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Client;

/// <summary>
/// The client inside an application that traces: Microsoft.Extensions.AI's own OpenTelemetry and distributed
/// cache middleware over it, the application's spans exported by OTLP to the gateway, one trace as the result.
/// </summary>
public sealed class TracingClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MeaiPipeline_AppSpanAndGatewayCall_FormOneTree_AndTheDistributedCacheShortCircuits()
    {
        await using var gateway = await TestGateway.StartAsync();
        var suffix = Guid.NewGuid().ToString("N");
        using var app = new ActivitySource("switchyard.tests.client-app-" + suffix);
        var meaiSource = "switchyard.tests.meai-" + suffix;
        var client = new SwitchyardClient(new SwitchyardClientOptions { Endpoint = new Uri(gateway.BaseUrl), ApiKey = TestGateway.AdminSecret });
        IDistributedCache cache = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        IChatClient chat = new ChatClientBuilder(client.GetChatClient("sandbox"))
            .UseOpenTelemetry(sourceName: meaiSource)
            .UseDistributedCache(cache)
            .Build();
        var options = new ChatOptions { Temperature = 0 }.WithSwitchyard(s => s.Session = "traced-session");
        string traceId;
        string rootSpanId;
        ChatResponse first;
        ChatResponse second;
        using (var provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(app.Name, meaiSource)
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("client-tests-app"))
            .AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(gateway.BaseUrl + "/v1/traces");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = "Authorization=Bearer " + TestGateway.AdminSecret;
                o.ExportProcessorType = ExportProcessorType.Simple;
            })
            .Build())
        {
            using (var root = app.StartActivity("answer question")!)
            {
                traceId = root.TraceId.ToHexString();
                rootSpanId = root.SpanId.ToHexString();
                first = await chat.GetResponseAsync("What does the gateway record?", options, Ct);
                second = await chat.GetResponseAsync("What does the gateway record?", options, Ct);
            }

            provider.ForceFlush();
        }

        // The gateway joined the application's trace, and the repeated call never reached it.
        Assert.Equal(traceId, first.GetSwitchyardTraceId());
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(traceId, second.GetSwitchyardTraceId());
        await RecordedCalls.WaitForCountAsync(gateway, 1, Ct);
        Assert.Equal(1, RecordedCalls.Count(gateway));

        // The application span, the two chat spans of UseOpenTelemetry, and the one gateway call.
        var trace = await ClientTraces.WaitForSpansAsync(gateway, traceId, expected: 4);
        var rootNode = Assert.Single(trace["spans"]!.AsArray())!;
        Assert.Equal("answer question", rootNode["name"]!.GetValue<string>());
        Assert.Equal(rootSpanId, rootNode["span_id"]!.GetValue<string>());
        Assert.Equal("client-tests-app", rootNode["service"]!.GetValue<string>());
        var chatSpans = rootNode["children"]!.AsArray();
        Assert.Equal(2, chatSpans.Count);
        Assert.All(chatSpans, span => Assert.Equal("chat sandbox", span!["name"]!.GetValue<string>()));
        var call = Assert.Single(chatSpans[0]!["children"]!.AsArray())!;
        Assert.Equal("gateway", call["source"]!.GetValue<string>());
        Assert.Equal(chatSpans[0]!["span_id"]!.GetValue<string>(), call["parent_span_id"]!.GetValue<string>());
        Assert.Equal(first.GetSwitchyardSpanId(), call["span_id"]!.GetValue<string>());
        Assert.Equal("traced-session", call["session"]!.GetValue<string>());
        Assert.Empty(chatSpans[1]!["children"]!.AsArray());
    }

    [Fact]
    public async Task TraceContext_IsSentEvenWhenHttpClientPropagationIsOff()
    {
        await using var gateway = await TestGateway.StartAsync();
        // No ActivityListener and no propagator in the handler: only the client's own policy can carry the context.
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null });
        var client = new SwitchyardClient(new SwitchyardClientOptions { Endpoint = new Uri(gateway.BaseUrl), HttpClient = http });
        using var activity = new Activity("app work").SetIdFormat(ActivityIdFormat.W3C).Start();
        activity.TraceStateString = "vendor=1";

        var response = await client.GetChatClient("sandbox").GetResponseAsync("hello", cancellationToken: Ct);

        Assert.Equal(activity.TraceId.ToHexString(), response.GetSwitchyardTraceId());
        var row = await RecordedCalls.WaitForAsync(gateway, activity.TraceId.ToHexString(), Ct);
        Assert.Equal(activity.SpanId.ToHexString(), row["parent_span_id"]);
    }
}
