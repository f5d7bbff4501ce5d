using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Identity;

/// <summary>
/// Keys bound to a team read and write that team only: two teams share a gateway, and each team's read,
/// ingest, feedback and admin keys are pointed at the other team's traces, keys, spend and teams.
/// </summary>
public sealed class TeamReachTests : IAsyncLifetime
{
    private TestGateway _gateway = default!;
    private string _alphaTrace = "";
    private string _betaTrace = "";
    private (string Id, string Secret) _alphaRead;
    private (string Id, string Secret) _alphaIngest;
    private (string Id, string Secret) _alphaFeedback;
    private (string Id, string Secret) _alphaAdmin;
    private (string Id, string Secret) _betaInference;
    private (string Id, string Secret) _loneIngest;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync();
        await _gateway.CreateAsync("/api/teams", """{"id":"alpha"}""");
        await _gateway.CreateAsync("/api/teams", """{"id":"beta"}""");
        var alphaInference = await _gateway.CreateKeyAsync("""{"name":"alpha-app","team":"alpha"}""");
        _betaInference = await _gateway.CreateKeyAsync("""{"name":"beta-app","team":"beta"}""");
        _alphaRead = await _gateway.CreateKeyAsync("""{"name":"alpha-read","team":"alpha","scopes":["read"]}""");
        _alphaIngest = await _gateway.CreateKeyAsync("""{"name":"alpha-ingest","team":"alpha","scopes":["ingest"]}""");
        _alphaFeedback = await _gateway.CreateKeyAsync("""{"name":"alpha-feedback","team":"alpha","scopes":["feedback"]}""");
        _alphaAdmin = await _gateway.CreateKeyAsync("""{"name":"alpha-admin","team":"alpha","scopes":["admin","read","inference"],"models":["sandbox"],"expires_in":"30d"}""");
        _loneIngest = await _gateway.CreateKeyAsync("""{"name":"lone-ingest","scopes":["ingest"]}""");
        _alphaTrace = await CallAsync(alphaInference.Secret, "alpha secret question");
        _betaTrace = await CallAsync(_betaInference.Secret, "beta secret question");
        await RecordedCalls.WaitForAsync(_gateway, _alphaTrace, Ct);
        await RecordedCalls.WaitForAsync(_gateway, _betaTrace, Ct);
    }

    public async ValueTask DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task A_read_key_of_one_team_sees_its_traces_and_not_the_other_teams()
    {
        var (status, list, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/traces", key: _alphaRead.Secret);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([_alphaTrace], list!["data"]!.AsArray().Select(c => c!["trace_id"]!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, (await _gateway.SendAsync(HttpMethod.Get, $"/api/traces/{_alphaTrace}", key: _alphaRead.Secret)).Status);
        var (other, error, _) = await _gateway.SendAsync(HttpMethod.Get, $"/api/traces/{_betaTrace}", key: _alphaRead.Secret);
        Assert.Equal(HttpStatusCode.NotFound, other);
        Assert.Equal("not_found", error!["error"]!["code"]!.GetValue<string>());

        var (_, asked, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/traces?team=beta", key: _alphaRead.Secret);
        Assert.Empty(asked!["data"]!.AsArray());

        var export = await GetTextAsync("/api/traces/export", _alphaRead.Secret);
        Assert.Contains("alpha secret question", export, StringComparison.Ordinal);
        Assert.DoesNotContain("beta secret question", export, StringComparison.Ordinal);

        var (_, summary, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/metrics/summary", key: _alphaRead.Secret);
        Assert.Equal(1, summary!["groups"]![0]!["requests"]!.GetValue<int>());
        var (_, all, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/metrics/summary");
        Assert.Equal(2, all!["groups"]![0]!["requests"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_read_key_of_one_team_sees_its_keys_teams_users_and_spend_only()
    {
        var (_, keys, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/keys", key: _alphaRead.Secret);
        var ids = keys!["data"]!.AsArray().Select(k => k!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(_alphaRead.Id, ids);
        Assert.DoesNotContain(_betaInference.Id, ids);
        Assert.DoesNotContain(_loneIngest.Id, ids);
        Assert.Equal(HttpStatusCode.NotFound, (await _gateway.SendAsync(HttpMethod.Get, $"/api/keys/{_betaInference.Id}", key: _alphaRead.Secret)).Status);

        var (_, teams, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/teams", key: _alphaRead.Secret);
        Assert.Equal(["alpha"], teams!["data"]!.AsArray().Select(t => t!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await _gateway.SendAsync(HttpMethod.Get, "/api/teams/beta", key: _alphaRead.Secret)).Status);

        // The ledger is summed in the background: wait until it holds both teams.
        for (var i = 0; i < 300 && (await _gateway.SendAsync(HttpMethod.Get, "/api/spend?group_by=team")).Body!["data"]!.AsArray().Count < 2; i++)
        {
            await Task.Delay(20, Ct);
        }

        var (_, spend, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/spend?group_by=team", key: _alphaRead.Secret);
        Assert.Equal(["alpha"], spend!["data"]!.AsArray().Select(r => r!["team"]!.GetValue<string>()));
        var (_, betaSpend, _) = await _gateway.SendAsync(HttpMethod.Get, "/api/spend?team=beta", key: _alphaRead.Secret);
        Assert.Empty(betaSpend!["data"]!.AsArray());
    }

    [Fact]
    public async Task Ingest_and_feedback_keys_write_only_to_their_own_teams_traces()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await ScoreAsync("/api/scores", _betaTrace, _alphaIngest.Secret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ScoreAsync("/api/feedback", _betaTrace, _alphaFeedback.Secret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ScoreAsync("/api/scores", _alphaTrace, _loneIngest.Secret)).Status);
        Assert.Equal(HttpStatusCode.Created, (await ScoreAsync("/api/scores", _alphaTrace, _alphaIngest.Secret)).Status);
        Assert.Equal(HttpStatusCode.Created, (await ScoreAsync("/api/feedback", _alphaTrace, _alphaFeedback.Secret)).Status);

        // Langfuse's batch answers per event.
        var (status, batch, _) = await _gateway.SendAsync(HttpMethod.Post, "/api/public/ingestion",
            $$$"""{"batch":[{"id":"mine","type":"score-create","body":{"traceId":"{{{_alphaTrace}}}","name":"x","value":1}},{"id":"theirs","type":"score-create","body":{"traceId":"{{{_betaTrace}}}","name":"x","value":1}}]}""", _alphaIngest.Secret);
        Assert.Equal(207, (int)status);
        Assert.Equal("mine", batch!["successes"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(404, batch["errors"]![0]!["status"]!.GetValue<int>());

        // The beta trace shows none of alpha's attempts.
        var (_, beta, _) = await _gateway.SendAsync(HttpMethod.Get, $"/api/traces/{_betaTrace}");
        Assert.Empty(beta!["scores"]!.AsArray());
    }

    [Fact]
    public async Task Spans_into_another_teams_trace_are_refused_and_into_a_new_or_own_trace_accepted()
    {
        var (allRefused, error) = await OtlpAsync(_alphaIngest.Secret, (_betaTrace, "aa00000000000001"));
        Assert.Equal(404, allRefused);
        Assert.Contains("own team", error, StringComparison.Ordinal);

        var fresh = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        var (partial, answer) = await OtlpAsync(_alphaIngest.Secret, (_betaTrace, "aa00000000000002"), (_alphaTrace, "aa00000000000003"), (fresh, "aa00000000000004"));
        Assert.Equal(200, partial);
        Assert.Equal("1", JsonNode.Parse(answer)!["partialSuccess"]!["rejectedSpans"]!.GetValue<string>());

        var alpha = await WaitForSpanAsync(_alphaTrace, _alphaRead.Secret);
        Assert.Contains("aa00000000000003", alpha, StringComparison.Ordinal);
        var (_, beta, _) = await _gateway.SendAsync(HttpMethod.Get, $"/api/traces/{_betaTrace}");
        Assert.DoesNotContain("aa0000000000000", beta!.ToJsonString(), StringComparison.Ordinal);

        // A key without a team writes to the traces it started.
        var lone = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        Assert.Equal(200, (await OtlpAsync(_loneIngest.Secret, (lone, "bb00000000000001"))).Status);
        await WaitForSpanAsync(lone, TestGateway.AdminSecret);
        Assert.Equal(HttpStatusCode.Created, (await ScoreAsync("/api/scores", lone, _loneIngest.Secret)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ScoreAsync("/api/scores", lone, _alphaIngest.Secret)).Status);
    }

    [Fact]
    public async Task An_admin_key_bound_to_a_team_cannot_reach_other_teams_or_mint_a_wider_key()
    {
        var admin = _alphaAdmin.Secret;
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"x","team":"beta","models":["sandbox"],"expires_in":"1d"}""", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"x","expires_in":"1d"}""", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"x","models":["sandbox"]}""", admin)).Status);

        var (created, body, _) = await _gateway.SendAsync(HttpMethod.Post, "/api/keys", """{"name":"narrow","scopes":["read"],"models":["sandbox"],"expires_in":"1d"}""", admin);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("alpha", body!["team"]!.GetValue<string>());
        var narrow = body["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{narrow}", """{"models":null}""", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{narrow}", """{"expires_at":null}""", admin)).Status);
        Assert.Equal(HttpStatusCode.OK, (await _gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{narrow}", """{"name":"renamed"}""", admin)).Status);

        Assert.Equal(HttpStatusCode.NotFound, (await _gateway.SendAsync(HttpMethod.Patch, $"/api/keys/{_betaInference.Id}", """{"name":"mine now"}""", admin)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _gateway.SendAsync(HttpMethod.Delete, $"/api/keys/{_betaInference.Id}", key: admin)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _gateway.SendAsync(HttpMethod.Post, $"/api/keys/{_betaInference.Id}/rotate", "{}", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Post, "/api/teams", """{"id":"gamma"}""", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Patch, "/api/teams/alpha", """{"budget":null}""", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Post, "/api/users", """{"id":"u1","team":"beta"}""", admin)).Status);
        var (user, userBody, _) = await _gateway.SendAsync(HttpMethod.Post, "/api/users", """{"id":"u2"}""", admin);
        Assert.Equal(HttpStatusCode.Created, user);
        Assert.Equal("alpha", userBody!["team"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Post, "/api/alerts/test", "{}", admin)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await _gateway.SendAsync(HttpMethod.Delete, "/api/cache?team=beta", key: admin)).Status);

        // The beta key still works: nothing above touched it.
        using var call = await _gateway.ChatAsync(_betaInference.Secret);
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_shows_a_team_bound_reader_its_team_only()
    {
        using var client = await DashboardSession.SignedInAsync(_gateway, Ct, _alphaRead.Secret);

        var traces = await client.GetStringAsync("/ui/traces", Ct);
        Assert.Contains(_alphaTrace, traces, StringComparison.Ordinal);
        Assert.DoesNotContain(_betaTrace, traces, StringComparison.Ordinal);
        Assert.Contains("No trace with this id", await client.GetStringAsync($"/ui/traces/{_betaTrace}", Ct), StringComparison.Ordinal);
        Assert.Contains("alpha secret question", await client.GetStringAsync($"/ui/traces/{_alphaTrace}", Ct), StringComparison.Ordinal);
        var keys = await client.GetStringAsync("/ui/keys", Ct);
        Assert.Contains(_alphaRead.Id, keys, StringComparison.Ordinal);
        Assert.DoesNotContain(_betaInference.Id, keys, StringComparison.Ordinal);
        var other = await client.GetStringAsync($"/ui/keys/{_betaInference.Id}", Ct);
        Assert.Contains("No key with this id", other, StringComparison.Ordinal);
        Assert.DoesNotContain("beta-app", other, StringComparison.Ordinal);
        Assert.DoesNotContain(">beta<", await client.GetStringAsync("/ui/teams", Ct), StringComparison.Ordinal);
    }

    private async Task<string> CallAsync(string key, string question)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"sandbox","messages":[{"role":"user","content":"{{question}}"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _gateway.Client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("x-switchyard-trace-id").Single();
    }

    private Task<(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Response)> ScoreAsync(string path, string traceId, string key) =>
        _gateway.SendAsync(HttpMethod.Post, path, path.EndsWith("feedback", StringComparison.Ordinal) ? $$"""{"trace_id":"{{traceId}}","value":"up"}""" : $$"""{"trace_id":"{{traceId}}","name":"accuracy","value":0.5}""", key);

    private async Task<(int Status, string Body)> OtlpAsync(string key, params (string TraceId, string SpanId)[] spans)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var json = string.Join(",", spans.Select(s => $$"""{"traceId":"{{s.TraceId}}","spanId":"{{s.SpanId}}","name":"step {{s.SpanId}}","kind":1,"startTimeUnixNano":"{{now}}","endTimeUnixNano":"{{now + 1_000_000}}"}"""));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/traces")
        {
            Content = new StringContent($$$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{{{json}}}]}]}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _gateway.Client.SendAsync(request, Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    private async Task<string> WaitForSpanAsync(string traceId, string key)
    {
        for (var i = 0; i < 500; i++)
        {
            var (status, body, _) = await _gateway.SendAsync(HttpMethod.Get, $"/api/traces/{traceId}", key: key);
            if (status == HttpStatusCode.OK && body!.ToJsonString().Contains("\"source\":\"otlp\"", StringComparison.Ordinal))
            {
                return body.ToJsonString();
            }

            await Task.Delay(20, Ct);
        }

        throw new TimeoutException($"No ingested span on {traceId}.");
    }

    private async Task<string> GetTextAsync(string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await _gateway.Client.SendAsync(request, Ct);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
