using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Evaluation;

/// <summary><c>/api/datasets</c> against a real gateway: import JSONL and JSON arrays, append, export, and refuse bad input by line.</summary>
public sealed class DatasetsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Jsonl_imports_appends_and_exports_so_an_export_imports_again_unchanged()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        const string Jsonl = """
            {"id":"late","messages":[{"role":"user","content":"Where is my order?"}],"expected":"It ships today.","tags":["orders"]}

            {"variables":{"ticket":"Refund, été"},"expected_output":{"category":"refund"},"context":"Refunds take 5 days.","metadata":{"lang":"fr"}}
            """;

        var (status, first) = await PostAsync(gateway, "/api/datasets/support/versions?message=first", Jsonl);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, first!["version"]!.GetValue<int>());
        Assert.Equal(2, first["items"]!.GetValue<int>());

        var (_, second) = await PostAsync(gateway, "/api/datasets/support/versions?append=true", """[{"id":"new","input":{"messages":[{"role":"user","content":"hi"}]}}]""");
        Assert.Equal(3, second!["items"]!.GetValue<int>());

        var (_, page, _) = await gateway.SendAsync(HttpMethod.Get, "/api/datasets/support/versions/1/items");
        var items = page!["data"]!.AsArray();
        Assert.Equal("late", items[0]!["id"]!.GetValue<string>());
        Assert.Equal("""["Refunds take 5 days."]""", items[1]!["context"]!.ToJsonString());
        Assert.Equal("refund", items[1]!["expected"]!["category"]!.GetValue<string>());
        Assert.StartsWith("item_", items[1]!["id"]!.GetValue<string>(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/datasets/support/versions/2/items?format=jsonl");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        using var export = await gateway.Client.SendAsync(request, Ct);
        var exported = await export.Content.ReadAsStringAsync(Ct);
        Assert.Equal(3, exported.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("été", exported, StringComparison.Ordinal);

        var (_, reimported) = await PostAsync(gateway, "/api/datasets/copy/versions", exported);
        var (_, copied, _) = await gateway.SendAsync(HttpMethod.Get, "/api/datasets/copy/versions/1/items?format=json");
        var (_, original, _) = await gateway.SendAsync(HttpMethod.Get, "/api/datasets/support/versions/2/items");
        Assert.Equal(original!["data"]!.ToJsonString(), copied!["data"]!.ToJsonString());
        Assert.Equal(3, reimported!["items"]!.GetValue<int>());

        var (_, list, _) = await gateway.SendAsync(HttpMethod.Get, "/api/datasets");
        Assert.Equal(["copy", "support"], list!["data"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));
        var (missing, _, _) = await gateway.SendAsync(HttpMethod.Get, "/api/datasets/support/versions/9/items");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Theory]
    [InlineData("{\"messages\":[]}\n{not json", "line 2")]
    [InlineData("{\"question\":\"x\"}", "'question' is not a field")]
    [InlineData("{\"expected\":\"x\"}", "'input' is required")]
    [InlineData("{\"messages\":\"hi\"}", "wrong shape")]
    [InlineData("[1]", "items[0]")]
    [InlineData("", "1 to 100000 items")]
    [InlineData("{\"messages\":[],\"tags\":[1]}", "wrong shape")]
    public async Task Bad_imports_are_refused_naming_the_line_and_field(string body, string names)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var (status, error) = await PostAsync(gateway, "/api/datasets/bad/versions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(names, error!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var (missing, _, _) = await gateway.SendAsync(HttpMethod.Get, "/api/datasets/bad");
        Assert.Equal(HttpStatusCode.NotFound, missing);
    }

    [Fact]
    public async Task Invalid_utf8_and_bad_names_are_refused_and_a_read_key_cannot_import()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        using (var bytes = new ByteArrayContent([0x7b, 0xff, 0x7d]))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/datasets/x/versions") { Content = bytes };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
            using var response = await gateway.Client.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        var (badName, _) = await PostAsync(gateway, "/api/datasets/-x/versions", """{"messages":[]}""");
        Assert.Equal(HttpStatusCode.BadRequest, badName);
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"reader","scopes":["read"]}""");
        var (denied, _) = await PostAsync(gateway, "/api/datasets/x/versions", """{"messages":[]}""", reader);
        Assert.Equal(HttpStatusCode.Forbidden, denied);
    }

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(TestGateway gateway, string path, string body, string key = TestGateway.AdminSecret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/x-ndjson") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await gateway.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
    }
}
