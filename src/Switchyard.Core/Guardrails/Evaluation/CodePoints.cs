namespace Switchyard.Guardrails.Evaluation;

/// <summary>
/// Offsets in code points (what Python and the labelled sets count) and in UTF-16 units (what .NET strings
/// index): they differ after every character outside the Basic Multilingual Plane.
/// </summary>
internal static class CodePoints
{
    public static int FromUtf16(string text, int index)
    {
        var count = 0;
        for (var i = 0; i < index && i < text.Length; i++)
        {
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1])))
            {
                count++;
            }
        }

        return count;
    }

    public static int ToUtf16(string text, int codePoints)
    {
        var i = 0;
        for (var seen = 0; seen < codePoints && i < text.Length; seen++)
        {
            i += char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
        }

        return i;
    }
}
