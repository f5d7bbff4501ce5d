namespace Switchyard.Providers.Anthropic;

/// <summary>Splits base64 <c>data:</c> URLs (how OpenAI carries inline images and files) and builds them back.</summary>
internal static class MediaUrl
{
    private const string Base64Marker = ";base64";

    /// <summary>Reads <c>data:&lt;media type&gt;[;params];base64,&lt;data&gt;</c>; false when <paramref name="url"/> is no data URL.</summary>
    /// <exception cref="TranslationException">A data URL that is not base64 or has no media type.</exception>
    public static bool TryParseData(string url, string path, out string mediaType, out string data)
    {
        mediaType = "";
        data = "";
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            throw new TranslationException($"'{path}' is a malformed data URL.");
        }

        var header = url.AsSpan(5, comma - 5);
        if (!header.EndsWith(Base64Marker, StringComparison.OrdinalIgnoreCase))
        {
            throw new TranslationException($"'{path}' must be a base64 data URL.");
        }

        var semicolon = header.IndexOf(';');
        mediaType = header[..semicolon].Trim().ToString();
        if (mediaType.Length == 0)
        {
            throw new TranslationException($"'{path}' has no media type.");
        }

        data = url[(comma + 1)..];
        return true;
    }

    public static bool IsHttp(string url) =>
        url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase);

    public static string ToData(string mediaType, string data) => $"data:{mediaType};base64,{data}";
}
