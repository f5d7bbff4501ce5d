using System.Buffers.Binary;
using System.Text.Json;
using Switchyard.Accounting;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// Simulated OpenAI embeddings: deterministic unit vectors. A vector is the normalised sum of one pseudo-random
/// direction per word plus one for the whole text, so the same text always gives the same vector and texts
/// that share words have a higher cosine similarity, which keeps retrieval demos meaningful.
/// </summary>
internal static class SandboxEmbeddings
{
    private const int DefaultDimensions = 1536;
    private const int LargeDimensions = 3072;

    // Far above any real model, but bounds what one request can make the gateway allocate.
    private const int MaxDimensions = 16_384;
    private const int MaxInputs = 2048;

    private static readonly char[] s_separators = [.. " \t\r\n.,;:!?\"'()[]{}<>/\\|-_*&^%$#@~`+="];

    public static UpstreamResponse Handle(SandboxCall call)
    {
        JsonElement root = call.Root;
        string model = call.Model;
        int dimensions = SandboxJson.OptionalInt(root, "dimensions", "dimensions", 1, MaxDimensions)
            ?? (model.Contains("3-large", StringComparison.OrdinalIgnoreCase) ? LargeDimensions : DefaultDimensions);
        string encoding = SandboxJson.OptionalString(root, "encoding_format", "encoding_format") ?? "float";
        if (encoding is not ("float" or "base64"))
        {
            throw new SandboxRequestException("Invalid value for 'encoding_format': expected 'float' or 'base64'.", "encoding_format");
        }

        (List<string> texts, int promptTokens) = ReadInputs(root, model);
        float[][] vectors = texts.Select(t => Vector(t, dimensions, call.Options.Seed)).ToArray();

        byte[] body = SandboxJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            for (int i = 0; i < vectors.Length; i++)
            {
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                if (encoding == "base64")
                {
                    w.WriteString("embedding", ToBase64(vectors[i]));
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (float value in vectors[i])
                    {
                        w.WriteNumberValue(value);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", promptTokens);
            w.WriteNumber("total_tokens", promptTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return new UpstreamResponse(200, "application/json", new MemoryStream(body, writable: false)) { RequestId = SandboxIds.RequestId() };
    }

    /// <summary>The unit vector of <paramref name="text"/>; same text, dimensions and seed give the same vector.</summary>
    public static float[] Vector(string text, int dimensions, int seed)
    {
        double[] sum = new double[dimensions];
        AddDirection(sum, SandboxRandom.FromText("\u0001text\u0001" + text, seed), 1.0);
        foreach (string word in text.ToLowerInvariant().Split(s_separators, StringSplitOptions.RemoveEmptyEntries))
        {
            AddDirection(sum, SandboxRandom.FromText(word, seed), 1.0);
        }

        double norm = Math.Sqrt(sum.Sum(v => v * v));
        float[] vector = new float[dimensions];
        for (int i = 0; i < dimensions; i++)
        {
            vector[i] = (float)(sum[i] / norm);
        }

        return vector;
    }

    private static void AddDirection(double[] sum, SandboxRandom random, double weight)
    {
        // Gaussian components (Box–Muller) give a direction uniform on the sphere.
        for (int i = 0; i < sum.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            sum[i] += weight * radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < sum.Length)
            {
                sum[i + 1] += weight * radius * Math.Sin(2 * Math.PI * u2);
            }
        }
    }

    private static string ToBase64(float[] vector)
    {
        byte[] bytes = new byte[vector.Length * sizeof(float)];
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    /// <summary>The texts to embed and their token count; token arrays are decoded so they embed like their text.</summary>
    private static (List<string> Texts, int Tokens) ReadInputs(JsonElement root, string model)
    {
        JsonElement input = SandboxJson.Optional(root, "input") ?? throw SandboxJson.Missing("input");
        List<string> texts = [];
        int tokens = 0;
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                texts.Add(NonEmpty(input.GetString()!, "input"));
                tokens += TokenCounter.Count(texts[0], model);
                break;
            case JsonValueKind.Array when input.GetArrayLength() == 0:
                throw new SandboxRequestException("Invalid 'input': empty array. Expected an array with minimum length 1.", "input");
            case JsonValueKind.Array when input.GetArrayLength() > MaxInputs:
                throw new SandboxRequestException($"Invalid 'input': array too long. Expected an array with maximum length {MaxInputs}.", "input");
            case JsonValueKind.Array when input[0].ValueKind == JsonValueKind.Number:
                texts.Add(Decode(input, model, "input"));
                tokens += input.GetArrayLength();
                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (JsonElement item in input.EnumerateArray())
                {
                    string param = $"input[{index++}]";
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        string text = NonEmpty(item.GetString()!, param);
                        texts.Add(text);
                        tokens += TokenCounter.Count(text, model);
                    }
                    else if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0)
                    {
                        texts.Add(Decode(item, model, param));
                        tokens += item.GetArrayLength();
                    }
                    else
                    {
                        throw SandboxJson.WrongType(param, "a non-empty string or array of token ids");
                    }
                }

                break;
            default:
                throw SandboxJson.WrongType("input", "a string, an array of strings, or an array of token arrays");
        }

        return (texts, tokens);
    }

    private static string NonEmpty(string text, string param) =>
        text.Length > 0 ? text : throw new SandboxRequestException($"Invalid '{param}': string must be non-empty.", param);

    private static string Decode(JsonElement tokens, string model, string param)
    {
        List<int> ids = new(tokens.GetArrayLength());
        foreach (JsonElement token in tokens.EnumerateArray())
        {
            if (token.ValueKind != JsonValueKind.Number || !token.TryGetInt32(out int id) || id < 0)
            {
                throw SandboxJson.WrongType(param, "an array of non-negative integer token ids");
            }

            ids.Add(id);
        }

        try
        {
            return TokenCounter.ForModel(model).Decode(ids) ?? throw new SandboxRequestException($"Invalid '{param}': unknown token id.", param);
        }
        catch (Exception e) when (e is ArgumentException or KeyNotFoundException or InvalidOperationException)
        {
            throw new SandboxRequestException($"Invalid '{param}': unknown token id.", param);
        }
    }
}
