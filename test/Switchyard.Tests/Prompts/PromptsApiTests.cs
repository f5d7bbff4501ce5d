using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary><c>/api/prompts</c> against a real gateway and store.</summary>
public sealed class PromptsApiTests
{
    private const string Push = """{"name":"support","prompt":[{"role":"system","content":"You help with {{product}}."},{"role":"user","content":"{{question}}"}],"variables":[{"name":"product","default":"Switchyard"}],"model":"sandbox","parameters":{"temperature":0.2},"message":"first","labels":["staging"]}""";

    [Fact]
    public async Task Push_twice_makes_one_version_labels_move_with_compare_and_set_and_are_audited()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var (status, first, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts", Push);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, first!["version"]!.GetValue<int>());
        Assert.Equal("chat", first["type"]!.GetValue<string>());
        Assert.Equal("""["staging","latest"]""", first["labels"]!.ToJsonString());
        Assert.Equal("admin", first["author"]!.GetValue<string>());

        var (againStatus, again, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts", Push.Replace("\"first\"", "\"same content\""));
        Assert.Equal(HttpStatusCode.OK, againStatus);
        Assert.False(again!["created"]!.GetValue<bool>());

        var (_, second, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts", """{"name":"support","prompt":"Answer about {{product}}: {{question}}","variables":[{"name":"product","default":"Switchyard"}]}""");
        Assert.Equal(2, second!["version"]!.GetValue<int>());
        Assert.Equal("text", second["type"]!.GetValue<string>());

        var (moved, _, _) = await gateway.SendAsync(HttpMethod.Put, "/api/prompts/support/labels/production", """{"version":1,"expected_version":0,"reason":"launch"}""");
        Assert.Equal(HttpStatusCode.OK, moved);
        var (conflict, error, _) = await gateway.SendAsync(HttpMethod.Put, "/api/prompts/support/labels/production", """{"version":2,"expected_version":2}""");
        Assert.Equal(HttpStatusCode.Conflict, conflict);
        Assert.Equal("conflict", error!["error"]!["code"]!.GetValue<string>());

        var (_, production, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/labels/production");
        Assert.Equal(1, production!["version"]!.GetValue<int>());
        var (_, latest, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/labels/latest");
        Assert.Equal(2, latest!["version"]!.GetValue<int>());

        var (_, prompt, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support");
        Assert.Equal("""{"production":1,"staging":1,"latest":2}""", prompt!["labels"]!.ToJsonString());
        Assert.Equal(2, prompt["versions"]!.AsArray().Count);

        var (_, history, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/history");
        var moves = history!["data"]!.AsArray();
        Assert.Equal(2, moves.Count);
        Assert.Equal("production", moves[0]!["label"]!.GetValue<string>());
        Assert.Equal("launch", moves[0]!["reason"]!.GetValue<string>());
        Assert.Null(moves[0]!["from_version"]);

        var (_, diff, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/diff?from=1&to=2");
        Assert.True(diff!["changed"]!.GetValue<bool>());
        var lines = diff["lines"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        Assert.Contains("-[system] You help with {{product}}.", lines);
        Assert.Contains("+Answer about {{product}}: {{question}}", lines);
        Assert.Contains(" variable product: string = Switchyard", lines);
        Assert.Contains("-model: sandbox", lines);
        Assert.Equal(HttpStatusCode.BadRequest, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/diff?from=1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/support/diff?from=1&to=7")).Status);

        var (_, list, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts");
        Assert.Equal("support", Assert.Single(list!["data"]!.AsArray())!["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"name":"p","prompt":"{{#open}} never closed"}""", "prompt: the section '{{#open}}' is never closed.")]
    [InlineData("""{"name":"p","prompt":[{"content":"no role"}]}""", "prompt: a chat prompt is a JSON array of messages, each an object with a role")]
    [InlineData("""{"name":"p","type":"text","prompt":[]}""", "prompt: a text prompt is a string.")]
    [InlineData("""{"name":"no spaces","prompt":"x"}""", "name: required")]
    [InlineData("""{"name":"p","prompt":"x","variables":[{"name":"n","type":"number","default":"three"}]}""", "variables.n.default: must be a number.")]
    [InlineData("""{"name":"p","prompt":"x","labels":["latest"]}""", "labels: 'latest' always names the newest version")]
    [InlineData("""{"name":"p","prompt":"x","temperature":1}""", "temperature")]
    public async Task Bad_pushes_are_refused_naming_the_problem(string body, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var (status, error, _) = await gateway.SendAsync(HttpMethod.Post, "/api/prompts", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(expected, error!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_prompts_versions_and_labels_are_404_and_a_read_key_cannot_push()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await gateway.SendAsync(HttpMethod.Post, "/api/prompts", """{"name":"p","prompt":"x"}""");
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"reader","scopes":["read"]}""");

        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/p/versions/9")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/p/labels/production")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await gateway.SendAsync(HttpMethod.Put, "/api/prompts/p/labels/production", """{"version":9}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/p", key: reader)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await gateway.SendAsync(HttpMethod.Post, "/api/prompts", """{"name":"p","prompt":"y"}""", key: reader)).Status);
    }
}
