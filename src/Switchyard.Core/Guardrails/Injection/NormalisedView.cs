namespace Switchyard.Guardrails.Injection;

/// <summary>
/// One way of reading a text for the heuristics: <c>plain</c> (folded and lower-cased), <c>leet</c>,
/// <c>rot13</c>, or <c>base64</c>/<c>hex</c> for a payload decoded out of it.
/// </summary>
internal readonly record struct NormalisedView(string Kind, string Text)
{
    /// <summary>True for views decoded from an embedded payload, which differ from the text as sent.</summary>
    public bool IsDecoded => Kind is "base64" or "hex";
}
