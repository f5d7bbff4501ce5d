namespace Switchyard.Recording;

/// <summary>
/// Captured content as stored: the bytes as received when they needed no redacting or cutting (valid
/// UTF-8, written without a copy to a string), else the redacted, cut text; neither when not captured.
/// </summary>
internal readonly record struct StoredContent(byte[]? Utf8, string? Text)
{
    public static readonly StoredContent None = default;

    public static StoredContent Of(string? text) => new(null, text);

    /// <summary>The content as text, whichever way it is held.</summary>
    public string? AsText() => Text ?? (Utf8 is null ? null : System.Text.Encoding.UTF8.GetString(Utf8));
}
