using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>Langfuse's prompt API (<c>/api/public/v2/prompts</c>) against a real gateway and store, called as the Langfuse SDKs call it.</summary>
public sealed class LangfusePromptsApiTests
{
    private const string Prompts = "/api/public/v2/prompts";

    private const string Critic = """{"name":"movie-critic","type":"text","prompt":"As a {{criticLevel}} critic, do you like {{movie}}?","config":{"model":"sandbox","temperature":0.7},"labels":["production"],"tags":[],"commitMessage":"first"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_created_text_prompt_reads_back_in_Langfuses_shape_by_label_version_and_latest()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var (status, created, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, Critic);
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(1, created!["version"]!.GetValue<int>());

        var (getStatus, prompt, response) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic");
        Assert.Equal(HttpStatusCode.OK, getStatus);
        Assert.Equal(
            ["id", "name", "version", "type", "prompt", "config", "labels", "tags", "commitMessage", "createdAt", "updatedAt", "createdBy", "isActive", "resolutionGraph"],
            prompt!.AsObject().Select(p => p.Key));
        Assert.Equal("movie-critic", prompt["name"]!.GetValue<string>());
        Assert.Equal("text", prompt["type"]!.GetValue<string>());
        Assert.Equal("As a {{criticLevel}} critic, do you like {{movie}}?", prompt["prompt"]!.GetValue<string>());
        Assert.Equal("""{"model":"sandbox","temperature":0.7}""", prompt["config"]!.ToJsonString());
        Assert.Equal("""["production","latest"]""", prompt["labels"]!.ToJsonString());
        Assert.Equal("[]", prompt["tags"]!.ToJsonString());
        Assert.Equal("first", prompt["commitMessage"]!.GetValue<string>());
        Assert.True(prompt["isActive"]!.GetValue<bool>());
        Assert.Equal("admin", prompt["createdBy"]!.GetValue<string>());
        Assert.Null(prompt["resolutionGraph"]);
        Assert.EndsWith("Z", prompt["createdAt"]!.GetValue<string>());
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag!.IsWeak);

        // The same content again makes no new version (200, not 201); a change makes version 2, which 'latest' names.
        var (again, same, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, Critic.Replace("\"first\"", "\"again\""));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(1, same!["version"]!.GetValue<int>());
        var (_, second, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, """{"name":"movie-critic","prompt":"Rate {{movie}}.","labels":["staging"]}""");
        Assert.Equal(2, second!["version"]!.GetValue<int>());
        Assert.Equal("""["staging","latest"]""", second["labels"]!.ToJsonString());
        Assert.Equal("{}", second["config"]!.ToJsonString());

        Assert.Equal(1, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic")).Body!["version"]!.GetValue<int>());
        Assert.Equal(2, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?label=latest")).Body!["version"]!.GetValue<int>());
        Assert.Equal(2, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?label=staging")).Body!["version"]!.GetValue<int>());
        var (_, first, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=1");
        Assert.Equal("""["production"]""", first!["labels"]!.ToJsonString());

        // The version is the registry's: /api/prompts sees the same one, with the commit message and config mapped back.
        var (_, native, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/movie-critic/versions/1");
        Assert.Equal("sandbox", native!["model"]!.GetValue<string>());
        Assert.Equal("""{"temperature":0.7}""", native["parameters"]!.ToJsonString());
        Assert.Equal("first", native["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_prompts_drop_the_SDKs_message_type_and_every_Switchyard_field_survives_a_round_trip_through_config()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await gateway.CreateAsync("/api/prompts", """
            {"name":"triage","prompt":[{"role":"system","content":"Sort {{product}} tickets."},{"role":"user","content":"{{ticket}}"}],
             "variables":[{"name":"product","default":"Switchyard"},{"name":"ticket"},{"name":"n","type":"number","default":3}],
             "model":"sandbox","pinned_model":"gpt-4o-2024-08-06","parameters":{"temperature":0.2,"model":"shadowed"},
             "tools":[{"type":"function","function":{"name":"route"}}],"response_format":{"type":"json_object"},"labels":["production"]}
            """);

        var (_, prompt, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/triage");
        Assert.Equal("chat", prompt!["type"]!.GetValue<string>());
        Assert.Equal("""[{"role":"system","content":"Sort {{product}} tickets."},{"role":"user","content":"{{ticket}}"}]""", prompt["prompt"]!.ToJsonString());
        var config = prompt["config"]!;
        Assert.Equal("sandbox", config["model"]!.GetValue<string>());
        Assert.Equal("gpt-4o-2024-08-06", config["pinned_model"]!.GetValue<string>());
        Assert.Equal(0.2, config["temperature"]!.GetValue<double>());
        Assert.Equal("json_object", config["response_format"]!["type"]!.GetValue<string>());
        Assert.Equal("route", config["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("""[{"name":"product","type":"string","default":"Switchyard"},{"name":"ticket","type":"string"},{"name":"n","type":"number","default":3}]""", config["switchyard"]!["variables"]!.ToJsonString());
        // A parameter named like a config field cannot sit beside it, so the whole parameters object is kept too.
        Assert.Equal("""{"temperature":0.2,"model":"shadowed"}""", config["switchyard"]!["parameters"]!.ToJsonString());

        // What the SDK's prompt.create sends: each message marked "type": "chatmessage".
        var messages = new JsonArray([.. prompt["prompt"]!.AsArray().Select(m => (JsonNode)new JsonObject { ["role"] = m!["role"]!.GetValue<string>(), ["content"] = m["content"]!.GetValue<string>(), ["type"] = "chatmessage" })]);
        var copy = new JsonObject { ["name"] = "triage-copy", ["type"] = "chat", ["prompt"] = messages, ["config"] = config.DeepClone(), ["labels"] = new JsonArray("production", "latest") };
        var (status, copied, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, copy.ToJsonString());
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(prompt["prompt"]!.ToJsonString(), copied!["prompt"]!.ToJsonString());
        Assert.Equal(config.ToJsonString(), copied["config"]!.ToJsonString());

        var (_, original, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/triage/versions/1");
        var (_, roundTripped, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/triage-copy/versions/1");
        foreach (var field in new[] { "type", "prompt", "variables", "model", "pinned_model", "parameters", "tools", "response_format" })
        {
            Assert.Equal(original![field]!.ToJsonString(), roundTripped![field]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Answers_carry_a_strong_ETag_that_If_None_Match_turns_into_a_304_until_a_label_moves()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await SendAsync(gateway, HttpMethod.Post, Prompts, Critic);
        await SendAsync(gateway, HttpMethod.Post, Prompts, """{"name":"movie-critic","prompt":"v2 {{movie}}"}""");

        var (_, _, first) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic");
        var tag = first.Headers.ETag!.Tag;
        var (status, _, notModified) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", ifNoneMatch: tag);
        Assert.Equal(HttpStatusCode.NotModified, status);
        Assert.Equal(tag, notModified.Headers.ETag!.Tag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.NotModified, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", ifNoneMatch: $"\"other\", W/{tag}")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", ifNoneMatch: "\"other\"")).Status);

        // production moves to version 2: the old tag no longer matches, and the new answer has a new one.
        await gateway.SendAsync(HttpMethod.Put, "/api/prompts/movie-critic/labels/production", """{"version":2}""");
        var (moved, body, changed) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", ifNoneMatch: tag);
        Assert.Equal(HttpStatusCode.OK, moved);
        Assert.Equal(2, body!["version"]!.GetValue<int>());
        Assert.NotEqual(tag, changed.Headers.ETag!.Tag);

        var (_, _, list) = await SendAsync(gateway, HttpMethod.Get, Prompts);
        Assert.Equal(HttpStatusCode.NotModified, (await SendAsync(gateway, HttpMethod.Get, Prompts, ifNoneMatch: list.Headers.ETag!.Tag)).Status);
    }

    [Fact]
    public async Task The_list_pages_and_filters_by_name_label_version_tag_and_time()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        foreach (var name in new[] { "c-prompt", "a-prompt", "b-prompt" })
        {
            await SendAsync(gateway, HttpMethod.Post, Prompts, $$"""{"name":"{{name}}","prompt":"one","labels":["production"]}""");
        }

        await SendAsync(gateway, HttpMethod.Post, Prompts, """{"name":"a-prompt","type":"chat","prompt":[{"role":"user","content":"two"}],"config":{"temperature":1}}""");

        var (_, all, _) = await SendAsync(gateway, HttpMethod.Get, Prompts);
        Assert.Equal("""{"page":1,"limit":10,"totalItems":3,"totalPages":1}""", all!["meta"]!.ToJsonString());
        var a = all["data"]![0]!;
        Assert.Equal(["name", "type", "versions", "labels", "tags", "lastUpdatedAt", "lastConfig"], a.AsObject().Select(p => p.Key));
        Assert.Equal("a-prompt", a["name"]!.GetValue<string>());
        Assert.Equal("chat", a["type"]!.GetValue<string>());
        Assert.Equal("[1,2]", a["versions"]!.ToJsonString());
        Assert.Equal("""["production","latest"]""", a["labels"]!.ToJsonString());
        Assert.Equal("""{"temperature":1}""", a["lastConfig"]!.ToJsonString());

        var (_, page, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?page=2&limit=2");
        Assert.Equal("""{"page":2,"limit":2,"totalItems":3,"totalPages":2}""", page!["meta"]!.ToJsonString());
        Assert.Equal("c-prompt", Assert.Single(page["data"]!.AsArray())!["name"]!.GetValue<string>());

        // Filtering by label keeps the versions it points at: a-prompt's production is version 1, a text prompt.
        var (_, production, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?name=a-prompt&label=production");
        var only = Assert.Single(production!["data"]!.AsArray())!;
        Assert.Equal("[1]", only["versions"]!.ToJsonString());
        Assert.Equal("text", only["type"]!.GetValue<string>());
        Assert.Equal("""["production"]""", only["labels"]!.ToJsonString());
        Assert.Equal(2, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?label=latest&version=1")).Body!["meta"]!["totalItems"]!.GetValue<int>());
        Assert.Empty((await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?tag=anything")).Body!["data"]!.AsArray());
        Assert.Empty((await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?fromUpdatedAt=2999-01-01T00:00:00Z")).Body!["data"]!.AsArray());
        Assert.Equal(3, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?toUpdatedAt=2999-01-01T00:00:00Z")).Body!["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task Patching_a_version_moves_its_new_labels_onto_it_audited_and_never_removes_one()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await SendAsync(gateway, HttpMethod.Post, Prompts, Critic);
        await SendAsync(gateway, HttpMethod.Post, Prompts, """{"name":"movie-critic","prompt":"v2 {{movie}}","labels":["staging"]}""");
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"reader","scopes":["read"]}""");

        var (status, patched, _) = await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/2", """{"newLabels":["production","canary","production"]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, patched!["version"]!.GetValue<int>());
        Assert.Equal("""["canary","production","staging","latest"]""", patched["labels"]!.ToJsonString());
        Assert.True(patched["isActive"]!.GetValue<bool>());
        Assert.Equal(2, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic")).Body!["version"]!.GetValue<int>());
        Assert.Equal("[]", (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=1")).Body!["labels"]!.ToJsonString());

        var (_, history, _) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/movie-critic/history");
        var production = history!["data"]!.AsArray().First(m => m!["label"]!.GetValue<string>() == "production")!;
        Assert.Equal(1, production["from_version"]!.GetValue<int>());
        Assert.Equal("moved through the Langfuse API", production["reason"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/2", """{"newLabels":[]}""")).Status);
        Assert.Equal("Label 'latest' is always assigned to the latest prompt version", (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/1", """{"newLabels":["latest"]}""")).Body!["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/1", """{"newLabels":[7]}""")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/1", "{}")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/1", "{")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/one", """{"newLabels":["a"]}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/9", """{"newLabels":["a"]}""")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/nope/versions/1", """{"newLabels":["a"]}""")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(gateway, HttpMethod.Patch, $"{Prompts}/movie-critic/versions/1", """{"newLabels":["a"]}""", key: reader)).Status);
    }

    [Fact]
    public async Task Keys_come_as_Basic_or_Bearer_reads_need_read_and_creating_needs_admin()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await SendAsync(gateway, HttpMethod.Post, Prompts, Critic);
        var (_, reader) = await gateway.CreateKeyAsync("""{"name":"reader","scopes":["read","ingest"]}""");
        var (_, ingester) = await gateway.CreateKeyAsync("""{"name":"ingester","scopes":["ingest"]}""");

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", key: reader)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", key: reader, bearer: true)).Status);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, Prompts, key: reader)).Status);

        var (forbidden, refusal, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, Critic.Replace("first", "by reader"), key: reader);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden);
        Assert.Equal("ForbiddenError", refusal!["error"]!.GetValue<string>());
        Assert.Contains("admin", refusal["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", key: ingester)).Status);

        var (unauthorized, missing, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", key: null);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized);
        Assert.Equal(["message", "error"], missing!.AsObject().Select(p => p.Key));
        Assert.Equal("UnauthorizedError", missing["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic", key: "sy-not-a-key")).Status);
    }

    [Theory]
    [InlineData("{\"name\":", 400, "not valid JSON")]
    [InlineData("[1]", 400, "must be a JSON object")]
    [InlineData("", 400, "not valid JSON")]
    [InlineData("""{"name":5,"prompt":"x"}""", 400, "name: must be")]
    [InlineData("""{"name":"p","prompt":{}}""", 400, "prompt: a text prompt is a string.")]
    [InlineData("""{"name":"p","type":"chat","prompt":"x"}""", 400, "prompt: a chat prompt is an array")]
    [InlineData("""{"name":"p","type":"image","prompt":"x"}""", 400, "type: must be chat or text.")]
    [InlineData("""{"name":"p","type":"chat","prompt":[{"role":"user"}]}""", 400, "prompt[0].content")]
    [InlineData("""{"name":"p","type":"chat","prompt":[{"content":"x"}]}""", 400, "prompt[0].role")]
    [InlineData("""{"name":"p","type":"chat","prompt":[3]}""", 400, "prompt[0]: a message is an object")]
    [InlineData("""{"name":"p","type":"chat","prompt":[{"type":"placeholder","name":"history"}]}""", 400, "placeholders are not supported")]
    [InlineData("""{"name":"p","prompt":"x","labels":[null]}""", 400, "is not a label")]
    [InlineData("""{"name":"p","prompt":"x","labels":"production"}""", 400, "labels: must be an array of strings.")]
    [InlineData("""{"name":"p","prompt":"x","labels":["no spaces"]}""", 400, "is not a label")]
    [InlineData("""{"name":"p","prompt":"x","tags":["t"]}""", 400, "tags:")]
    [InlineData("""{"name":"p","prompt":"x","config":[1]}""", 400, "config: must be a JSON object.")]
    [InlineData("""{"name":"p","prompt":"x","config":{"model":7}}""", 400, "config.model")]
    [InlineData("""{"name":"p","prompt":"x","config":{"tools":{}}}""", 400, "config.tools")]
    [InlineData("""{"name":"p","prompt":"x","config":{"switchyard":{"variables":[{"name":"n","type":"number","default":"three"}]}}}""", 400, "config.switchyard.variables.n.default: must be a number.")]
    [InlineData("""{"name":"p","prompt":"x","config":{"switchyard":{"extra":1}}}""", 400, "config.switchyard.extra: unknown field")]
    [InlineData("""{"name":"p","prompt":"{{#open}} never closed"}""", 400, "prompt: the section '{{#open}}' is never closed.")]
    [InlineData("""{"name":"folder/p","prompt":"x"}""", 400, "name: required")]
    [InlineData("""{"name":"p\n","prompt":"x"}""", 400, "name: required")]
    public async Task Hostile_bodies_are_refused_in_Langfuses_error_shape(string body, int status, string expected)
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);

        var (got, error, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, body);

        Assert.Equal((HttpStatusCode)status, got);
        Assert.Equal("InvalidRequestError", error!["error"]!.GetValue<string>());
        Assert.Contains(expected, error["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Huge_names_invalid_UTF_8_deep_JSON_and_unknown_labels_or_versions_are_4xx_never_500()
    {
        await using var gateway = await TestGateway.StartAsync(anonymous: false);
        await SendAsync(gateway, HttpMethod.Post, Prompts, Critic);

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Post, Prompts, $$"""{"name":"{{new string('a', 100_000)}}","prompt":"x"}""")).Status);
        using (var invalid = new ByteArrayContent([.. "{\"name\":\"p\",\"prompt\":\""u8, 0xff, 0xfe, .. "\"}"u8]))
        {
            invalid.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            var (status, error, _) = await SendAsync(gateway, HttpMethod.Post, Prompts, content: invalid);
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("UTF-8", error!["message"]!.GetValue<string>());
        }

        var deep = string.Concat(Enumerable.Repeat("[", 200)) + string.Concat(Enumerable.Repeat("]", 200));
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Post, Prompts, "{\"name\":\"p\",\"prompt\":\"x\",\"config\":{\"a\":" + deep + "}}")).Status);

        var (notFound, missing, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?label=nope");
        Assert.Equal(HttpStatusCode.NotFound, notFound);
        Assert.Equal("LangfuseNotFoundError", missing!["error"]!.GetValue<string>());
        Assert.Equal("Prompt not found: 'movie-critic' with label 'nope'", missing["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=9")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/nope")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/folder%2Fmovie-critic")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/%FF%FE")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?label=%FF")).Status);
        var (long_, tooLong, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/{new string('a', 4000)}");
        Assert.Equal(HttpStatusCode.NotFound, long_);
        Assert.True(tooLong!["message"]!.GetValue<string>().Length < 300);

        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=abc")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=-1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=99999999999")).Status);
        Assert.Equal("Cannot specify both version and label", (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}/movie-critic?version=1&label=production")).Body!["message"]!.GetValue<string>());
        foreach (var query in new[] { "page=0", "limit=0", "limit=101", "page=x", "fromUpdatedAt=yesterday", "version=0" })
        {
            var (status, error, _) = await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?{query}");
            Assert.True(status == HttpStatusCode.BadRequest, $"{query}: {(int)status}");
            Assert.Equal("InvalidRequestError", error!["error"]!.GetValue<string>());
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(gateway, HttpMethod.Get, $"{Prompts}?page=2147483647&limit=100")).Status);
    }

    /// <summary>A request as the Langfuse SDKs send it: Basic auth, a public key as user name and the Switchyard key as password.</summary>
    private static async Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(
        TestGateway gateway, HttpMethod method, string path, string? json = null, string? key = TestGateway.AdminSecret, bool bearer = false, string? ifNoneMatch = null, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Authorization = bearer
                ? new AuthenticationHeaderValue("Bearer", key)
                : new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("pk-lf-anything:" + key)));
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        request.Content = content ?? (json is null ? null : new StringContent(json, Encoding.UTF8, "application/json"));
        var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var body = text.Length > 0 && response.Content.Headers.ContentType?.MediaType == "application/json" ? JsonNode.Parse(text) : null;
        return (response.StatusCode, body, response);
    }
}
