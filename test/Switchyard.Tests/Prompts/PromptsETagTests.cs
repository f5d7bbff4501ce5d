using System.Net;
using System.Net.Http.Headers;
using Switchyard.Tests.TestUtilities;
using Xunit;

namespace Switchyard.Tests.Prompts;

/// <summary>ETag and If-None-Match on <c>GET /api/prompts/{name}/versions/{n}</c> and <c>/labels/{label}</c>.</summary>
public sealed class PromptsETagTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnchangedVersion_Is304_AndALabelMoveChangesTheTag()
    {
        await using var gateway = await TestGateway.StartAsync();
        await gateway.CreateAsync("/api/prompts", """{"name":"p","prompt":"one","labels":["production"]}""");

        var (status, _, first) = await gateway.SendAsync(HttpMethod.Get, "/api/prompts/p/versions/1");
        var etag = first.Headers.ETag!;
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(etag.IsWeak);
        Assert.Equal(etag, (await gateway.SendAsync(HttpMethod.Get, "/api/prompts/p/labels/production")).Response.Headers.ETag);

        var notModified = await GetAsync(gateway, "/api/prompts/p/versions/1", etag.Tag);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(gateway, "/api/prompts/p/labels/production", $"\"x\", W/{etag.Tag}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(gateway, "/api/prompts/p/versions/1", "\"other\"")).StatusCode);

        // Another label on the same version, then a newer version (version 1 is no longer latest): both change what GET shows.
        await gateway.SendAsync(HttpMethod.Put, "/api/prompts/p/labels/staging", """{"version":1}""");
        var labelled = await GetAsync(gateway, "/api/prompts/p/versions/1", etag.Tag);
        Assert.Equal(HttpStatusCode.OK, labelled.StatusCode);
        await gateway.CreateAsync("/api/prompts", """{"name":"p","prompt":"two"}""");
        var older = await GetAsync(gateway, "/api/prompts/p/versions/1", labelled.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.NotEqual(labelled.Headers.ETag, older.Headers.ETag);
    }

    private static async Task<HttpResponseMessage> GetAsync(TestGateway gateway, string path, string ifNoneMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.AdminSecret);
        request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        var response = await gateway.Client.SendAsync(request, Ct);
        await response.Content.LoadIntoBufferAsync(Ct);
        return response;
    }
}
