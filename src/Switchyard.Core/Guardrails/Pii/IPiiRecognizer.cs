namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Finds the entities of one type, or of a few related ones. A recogniser adds every candidate that passed its validation, overlaps
/// included; <see cref="PiiDetector"/> settles overlaps between recognisers and within one.
/// </summary>
internal interface IPiiRecognizer
{
    /// <summary>The <see cref="PiiTypes"/> names this recogniser reports.</summary>
    IReadOnlyList<string> Types { get; }

    /// <summary>Appends the entities found in <paramref name="text"/> to <paramref name="results"/>.</summary>
    void Find(string text, List<PiiEntity> results);
}
