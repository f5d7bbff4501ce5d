namespace Switchyard.Guardrails.Toxicity;

/// <summary>One line of a lexicon file.</summary>
/// <param name="Category">The file it came from, e.g. <c>threat</c>.</param>
/// <param name="Pattern">The line as written, without its weight.</param>
/// <param name="Words">The pattern's words, normalised as text is; several for a phrase.</param>
/// <param name="Stem">Whether the (single) word matches every word that starts with it.</param>
/// <param name="Weight">How sure one match makes the category, 0 to 1.</param>
internal sealed record LexiconEntry(string Category, string Pattern, IReadOnlyList<string> Words, bool Stem, double Weight);
