using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Dashboard;
using Switchyard.Storage;
using Switchyard.Tests.Telemetry.Otlp;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Dashboard;

/// <summary>
/// Whatever an ingest key sends, every page and read endpoint still answers: spans with times at the
/// edges of the range, reversed, zero-length or years long, names and attributes of any shape, and
/// parents that loop.
/// </summary>
public sealed class HostileSpanTests
{
    private const long NanosPerMs = 1_000_000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_span_starting_at_99_99_percent_of_its_trace_is_drawn_inside_the_track()
    {
        await using var gateway = await TestGateway.StartAsync();
        var traceId = Hex(16, 1);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * NanosPerMs;
        var spans = new JsonArray
        {
            Span(traceId, Hex(8, 2), null, "request", start, start + (1000 * NanosPerMs)),
            Span(traceId, Hex(8, 3), Hex(8, 2), "late child", start + 999_900_000, start + 999_910_000),
        };
        await IngestJsonAsync(gateway, spans);
        await WaitForSpansAsync(gateway, 2);

        using var client = await DashboardSession.SignedInAsync(gateway, Ct);
        using var page = await client.GetAsync($"/ui/traces/{traceId}", Ct);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("late child", html, StringComparison.Ordinal);
        Assert.Contains("x=\"99.7%\" width=\"0.3%\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spans_whose_parents_form_a_loop_are_all_shown()
    {
        await using var gateway = await TestGateway.StartAsync();
        var traceId = Hex(16, 4);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * NanosPerMs;
        await IngestJsonAsync(gateway, new JsonArray
        {
            Span(traceId, Hex(8, 5), Hex(8, 6), "first", start, start + NanosPerMs),
            Span(traceId, Hex(8, 6), Hex(8, 5), "second", start + NanosPerMs, start + (2 * NanosPerMs)),
            Span(traceId, Hex(8, 7), Hex(8, 7), "own parent", start, start + NanosPerMs),
        });
        await WaitForSpansAsync(gateway, 3);

        var trace = JsonNode.Parse(await GetAsync(gateway, $"/api/traces/{traceId}", HttpStatusCode.OK))!;

        var names = Flatten(trace["spans"]!.AsArray()).Select(s => s["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["first", "own parent", "second"], names);
    }

    [Theory]
    [InlineData(1000, 999.9, 0.01, 99.7, 0.3)]
    [InlineData(1000, 0, 1000, 0, 100)]
    [InlineData(1000, -50, 10, 0, 1)]
    [InlineData(1000, 500, 1e12, 50, 50)]
    [InlineData(0, 5, 5, 0, 0.3)]
    [InlineData(1000, double.NaN, double.PositiveInfinity, 0, 0.3)]
    [InlineData(double.NaN, 1, 1, 0, 0.3)]
    [InlineData(1000, 2000, -5, 99.7, 0.3)]
    public void Bars_stay_inside_the_track(double totalMs, double offsetMs, double durationMs, double left, double width)
    {
        var placed = SpanGeometry.Place(offsetMs, durationMs, totalMs);

        Assert.Equal(left, placed.Left, 6);
        Assert.Equal(width, placed.Width, 6);
    }

    [Fact]
    public async Task Random_and_extreme_spans_never_break_a_page_or_an_endpoint()
    {
        await using var gateway = await TestGateway.StartAsync();
        var random = new Random(2312);
        var traceIds = new List<string>();
        var expected = 0;
        for (var batch = 0; batch < 24; batch++)
        {
            var traceId = Hex(16, 100 + batch);
            traceIds.Add(traceId);
            var spanIds = Enumerable.Range(0, random.Next(1, 9)).Select(i => Hex(8, (batch * 100) + i + 1)).ToArray();
            var spans = spanIds.Select(id => RandomSpan(random, traceId, id, spanIds)).ToList();
            expected += spans.Count;
            if (batch % 2 == 0)
            {
                await IngestJsonAsync(gateway, new JsonArray([.. spans.Select(s => s.Json)]));
            }
            else
            {
                await IngestProtobufAsync(gateway, spans);
            }
        }

        await WaitForSpansAsync(gateway, expected);
        await FeedbackAsync(gateway, traceIds[0]);

        using var client = await DashboardSession.SignedInAsync(gateway, Ct);
        string[] pages =
        [
            "/ui", "/ui?window=custom&from=1970-01-01T00:00:00Z&to=2262-01-01T00:00:00Z", "/ui/traces",
            "/ui/traces?from=1970-01-01T00:00:00Z&to=2262-01-01T00:00:00Z", "/ui/spend", "/ui/models", "/ui/keys", "/ui/teams", "/ui/cache",
            .. traceIds.Select(id => $"/ui/traces/{id}"),
        ];
        foreach (var path in pages)
        {
            using var response = await client.GetAsync(path, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}");
        }

        string[] endpoints =
        [
            "/api/traces?limit=200", "/api/traces?from=0&to=9999999999&limit=200", "/api/traces/export?from=0&to=9999999999",
            "/api/metrics/summary", "/api/metrics/timeseries", "/api/metrics/summary?from=0&to=9999999999", "/api/spend",
            .. traceIds.Select(id => $"/api/traces/{id}"),
        ];
        foreach (var path in endpoints)
        {
            await GetAsync(gateway, path, HttpStatusCode.OK);
        }
    }

    private static (JsonObject Json, byte[] Proto) RandomSpan(Random random, string traceId, string spanId, string[] siblings)
    {
        var start = RandomTime(random);
        var end = random.Next(4) switch
        {
            0 => start,
            1 => RandomTime(random),
            2 => start + Math.Min(long.MaxValue - start, (long)(random.NextDouble() * 10_000 * NanosPerMs)),
            _ => Math.Max(0, start - random.NextInt64(1, 1_000_000_000)),
        };
        var parent = random.Next(4) switch
        {
            0 => null,
            1 => spanId,
            2 => Hex(8, random.Next(900_000, 999_999)),
            _ => siblings[random.Next(siblings.Length)],
        };
        var name = RandomText(random);
        var attributes = Enumerable.Range(0, random.Next(0, 8)).Select(_ => RandomAttribute(random)).ToList();
        var json = Span(traceId, spanId, parent, name, start, end);
        json["attributes"] = new JsonArray([.. attributes.Select(a => a.Json)]);
        json["status"] = new JsonObject { ["code"] = random.Next(0, 3), ["message"] = RandomText(random) };

        var proto = new ProtoBuilder()
            .Bytes(1, Convert.FromHexString(traceId))
            .Bytes(2, Convert.FromHexString(spanId));
        if (parent is not null)
        {
            proto.Bytes(4, Convert.FromHexString(parent));
        }

        proto.String(5, name).Varint(6, (ulong)random.Next(0, 6)).Fixed64(7, (ulong)start).Fixed64(8, (ulong)end);
        foreach (var attribute in attributes)
        {
            proto.Message(9, attribute.Proto);
        }

        proto.Message(15, new ProtoBuilder().String(2, RandomText(random)).Varint(3, (ulong)random.Next(0, 3)));
        return (json, proto.ToArray());
    }

    private static long RandomTime(Random random) => random.Next(6) switch
    {
        0 => 0,
        1 => 1,
        2 => long.MaxValue,
        3 => random.NextInt64(0, long.MaxValue),
        _ => (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - random.Next(0, 3_600_000)) * NanosPerMs,
    };

    private static string RandomText(Random random) => random.Next(6) switch
    {
        0 => "",
        1 => new string('x', random.Next(1000, 5000)),
        2 => "<script>alert(1)</script>\"'&",
        3 => "\u0000\u0001\u202e\ud83d\ude00 \u00e9\u4e2d",
        4 => "}{\"[",
        _ => $"span {random.Next()}",
    };

    private static readonly string[] s_keys =
    [
        "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "gen_ai.request.model", "gen_ai.response.model", "gen_ai.operation.name",
        "gen_ai.provider.name", "llm.token_count.prompt", "langfuse.observation.type", "langfuse.observation.usage_details",
        "langfuse.user.id", "session.id", "input.value", "output.value", "gen_ai.input.messages", "langfuse.trace.metadata", "free.form",
    ];

    private static (JsonObject Json, ProtoBuilder Proto) RandomAttribute(Random random)
    {
        var key = s_keys[random.Next(s_keys.Length)];
        JsonObject value;
        ProtoBuilder proto;
        switch (random.Next(5))
        {
            case 0:
                var text = random.Next(3) switch { 0 => "gpt-4o", 1 => "{\"input\":9223372036854775807,\"output\":-1}", _ => RandomText(random) };
                value = new JsonObject { ["stringValue"] = text };
                proto = new ProtoBuilder().String(1, text);
                break;
            case 1:
                var number = random.Next(4) switch { 0 => long.MaxValue, 1 => long.MinValue, 2 => -1, _ => random.NextInt64() };
                value = new JsonObject { ["intValue"] = number.ToString(CultureInfo.InvariantCulture) };
                proto = new ProtoBuilder().Varint(3, unchecked((ulong)number));
                break;
            case 2:
                var real = random.Next(3) switch { 0 => double.MaxValue, 1 => -double.Epsilon, _ => random.NextDouble() * 1e9 };
                value = new JsonObject { ["doubleValue"] = real };
                proto = new ProtoBuilder().Fixed64(4, BitConverter.DoubleToUInt64Bits(real));
                break;
            case 3:
                value = new JsonObject { ["boolValue"] = random.Next(2) == 0 };
                proto = new ProtoBuilder().Varint(2, (ulong)random.Next(2));
                break;
            default:
                value = new JsonObject { ["arrayValue"] = new JsonObject { ["values"] = new JsonArray(new JsonObject { ["stringValue"] = "a" }, new JsonObject { ["intValue"] = "7" }) } };
                proto = new ProtoBuilder().Message(5, new ProtoBuilder().Message(1, new ProtoBuilder().String(1, "a")).Message(1, new ProtoBuilder().Varint(3, 7)));
                break;
        }

        return (new JsonObject { ["key"] = key, ["value"] = value }, new ProtoBuilder().String(1, key).Message(2, proto));
    }

    private static JsonObject Span(string traceId, string spanId, string? parent, string name, long start, long end)
    {
        var span = new JsonObject
        {
            ["traceId"] = traceId,
            ["spanId"] = spanId,
            ["name"] = name,
            ["kind"] = 1,
            ["startTimeUnixNano"] = start.ToString(CultureInfo.InvariantCulture),
            ["endTimeUnixNano"] = end.ToString(CultureInfo.InvariantCulture),
        };
        if (parent is not null)
        {
            span["parentSpanId"] = parent;
        }

        return span;
    }

    private static async Task IngestJsonAsync(TestGateway gateway, JsonArray spans)
    {
        var body = new JsonObject
        {
            ["resourceSpans"] = new JsonArray(new JsonObject
            {
                ["resource"] = new JsonObject { ["attributes"] = new JsonArray(new JsonObject { ["key"] = "service.name", ["value"] = new JsonObject { ["stringValue"] = "fuzz" } }) },
                ["scopeSpans"] = new JsonArray(new JsonObject { ["spans"] = spans }),
            }),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        await SendIngestAsync(gateway, request);
    }

    private static async Task IngestProtobufAsync(TestGateway gateway, List<(JsonObject Json, byte[] Proto)> spans)
    {
        var scope = new ProtoBuilder();
        foreach (var span in spans)
        {
            scope.Bytes(2, span.Proto);
        }

        var resource = new ProtoBuilder().Message(1, new ProtoBuilder().Message(1, ProtoBuilder.StringAttribute("service.name", "fuzz"))).Message(2, scope);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces") { Content = new ByteArrayContent(new ProtoBuilder().Message(1, resource).ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        await SendIngestAsync(gateway, request);
    }

    private static async Task SendIngestAsync(TestGateway gateway, HttpRequestMessage request)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"ingest answered {(int)response.StatusCode}: {text}");
        Assert.DoesNotContain("rejectedSpans\":\"", text, StringComparison.Ordinal);
    }

    private static async Task FeedbackAsync(TestGateway gateway, string traceId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/scores")
        {
            Content = new StringContent($$"""{"trace_id":"{{traceId}}","name":"x","value":1e308}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        Assert.True((int)response.StatusCode < 500, $"scores answered {(int)response.StatusCode}");
    }

    private static async Task<string> GetAsync(TestGateway gateway, string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        using var response = await gateway.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
        return text;
    }

    private static async Task WaitForSpansAsync(TestGateway gateway, int expected)
    {
        var db = gateway.Services.GetRequiredService<SqliteDatabase>();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        long count;
        do
        {
            using var connection = db.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM spans";
            count = (long)command.ExecuteScalar()!;
            if (count >= expected)
            {
                return;
            }

            await Task.Delay(20, Ct);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail($"{count} of {expected} spans were stored.");
    }

    private static IEnumerable<JsonNode> Flatten(JsonArray spans) =>
        spans.SelectMany(s => new[] { s! }.Concat(Flatten(s!["children"]!.AsArray())));

    private static string Hex(int bytes, int seed)
    {
        var value = new byte[bytes];
        BitConverter.GetBytes(seed).CopyTo(value, 0);
        value[^1] = 0xab;
        return Convert.ToHexStringLower(value);
    }
}
