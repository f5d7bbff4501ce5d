using System.Text.Json.Nodes;
using Switchyard.Tests.Tracing;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Client;

/// <summary>Reads a trace once the gateway has its spans: OTLP exports and recorded calls land asynchronously.</summary>
internal static class ClientTraces
{
    public static async Task<JsonNode> WaitForSpansAsync(TestGateway gateway, string traceId, int expected)
    {
        var ct = TestContext.Current.CancellationToken;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var response = await TracesApiTests.Admin(gateway, HttpMethod.Get, $"/api/traces/{traceId}");
            if (response.IsSuccessStatusCode)
            {
                var trace = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
                if (trace["span_count"]!.GetValue<int>() >= expected)
                {
                    return trace;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Trace {traceId} did not reach {expected} spans.");
            }

            await Task.Delay(50, ct);
        }
    }
}
