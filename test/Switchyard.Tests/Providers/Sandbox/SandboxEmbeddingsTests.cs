using System.Buffers.Binary;
using System.Text.Json;
using Switchyard.Accounting;
using Switchyard.Providers;
using Switchyard.Providers.Sandbox;
using Xunit;
using static Switchyard.Tests.Providers.Sandbox.SandboxTestKit;

namespace Switchyard.Tests.Providers.Sandbox;

public sealed class SandboxEmbeddingsTests
{
    private static async Task<JsonElement> EmbedAsync(string body, Action<Switchyard.Configuration.SandboxOptions>? configure = null)
    {
        SandboxAdapter adapter = new(TimeProvider.System, Switchyard.Hosting.RandomSource.Seeded(7));
        (int status, JsonElement json) = await SendJsonAsync(adapter, Deployment(adapter, configure, "text-embedding-3-small"), WireFormat.OpenAIEmbeddings, body);
        Assert.Equal(200, status);
        return json;
    }

    private static float[] Vector(JsonElement item) => [.. item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle())];

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    [Fact]
    public async Task Embeddings_AreUnitVectorsOfTheDefaultSize_WithUsage()
    {
        JsonElement json = await EmbedAsync("""{"model":"text-embedding-3-small","input":["the quick brown fox","jumps over"]}""");

        Assert.Equal("list", json.GetProperty("object").GetString());
        Assert.Equal("text-embedding-3-small", json.GetProperty("model").GetString());
        JsonElement[] data = [.. json.GetProperty("data").EnumerateArray()];
        Assert.Equal(2, data.Length);
        Assert.Equal([0, 1], data.Select(d => d.GetProperty("index").GetInt32()));
        foreach (JsonElement item in data)
        {
            Assert.Equal("embedding", item.GetProperty("object").GetString());
            float[] vector = Vector(item);
            Assert.Equal(1536, vector.Length);
            Assert.Equal(1.0, Math.Sqrt(Cosine(vector, vector)), 4);
        }

        int tokens = TokenCounter.Count("the quick brown fox", "text-embedding-3-small") + TokenCounter.Count("jumps over", "text-embedding-3-small");
        Assert.Equal(tokens, json.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(tokens, json.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task SameText_GivesTheSameVector_SharedWordsAreCloser()
    {
        JsonElement json = await EmbedAsync("""{"input":["red apple pie","red apple pie","red apple tart","network gateway latency"],"dimensions":256}""");

        float[][] vectors = [.. json.GetProperty("data").EnumerateArray().Select(Vector)];
        Assert.Equal(256, vectors[0].Length);
        Assert.Equal(vectors[0], vectors[1]);
        Assert.True(Cosine(vectors[0], vectors[2]) > Cosine(vectors[0], vectors[3]) + 0.2);

        JsonElement again = await EmbedAsync("""{"input":"red apple pie","dimensions":256}""");
        Assert.Equal(vectors[0], Vector(again.GetProperty("data")[0]));
    }

    [Fact]
    public async Task Base64Encoding_IsLittleEndianFloat32OfTheSameVector()
    {
        JsonElement floats = await EmbedAsync("""{"input":"hello world","dimensions":8}""");
        JsonElement base64 = await EmbedAsync("""{"input":"hello world","dimensions":8,"encoding_format":"base64"}""");

        byte[] bytes = Convert.FromBase64String(base64.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        float[] decoded = [.. Enumerable.Range(0, bytes.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4)))];
        Assert.Equal(Vector(floats.GetProperty("data")[0]), decoded);
    }

    [Fact]
    public async Task TokenArrays_EmbedLikeTheirTextAndCountTheirLength()
    {
        int[] ids = [.. TokenCounter.ForModel("text-embedding-3-small").EncodeToIds("hello world")];

        JsonElement fromTokens = await EmbedAsync($$"""{"input":[{{string.Join(',', ids)}}],"dimensions":16}""");
        JsonElement fromNested = await EmbedAsync($$"""{"input":[[{{string.Join(',', ids)}}]],"dimensions":16}""");
        JsonElement fromText = await EmbedAsync("""{"input":"hello world","dimensions":16}""");

        Assert.Equal(Vector(fromText.GetProperty("data")[0]), Vector(fromTokens.GetProperty("data")[0]));
        Assert.Equal(Vector(fromText.GetProperty("data")[0]), Vector(fromNested.GetProperty("data")[0]));
        Assert.Equal(ids.Length, fromTokens.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Seed_ChangesTheVectors()
    {
        JsonElement a = await EmbedAsync("""{"input":"hello","dimensions":8}""");
        JsonElement b = await EmbedAsync("""{"input":"hello","dimensions":8}""", o => o.Seed = 7);

        Assert.NotEqual(Vector(a.GetProperty("data")[0]), Vector(b.GetProperty("data")[0]));
    }
}
