namespace Switchyard.Guardrails.Groundedness;

/// <summary>The numbers, dates and words of the context, gathered once per check, and the test of one sentence against them.</summary>
internal sealed class ContextFacts
{
    private readonly HashSet<string> _numbers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dates = new(StringComparer.Ordinal);
    private readonly HashSet<string> _words = new(StringComparer.Ordinal);

    public ContextFacts(string context)
    {
        foreach (var (value, _) in Claims.Numbers(context))
        {
            _numbers.Add(value);
        }
        foreach (var (readings, _) in Claims.Dates(context))
        {
            _dates.UnionWith(readings);
        }
        foreach (var word in Claims.Words(context))
        {
            _words.Add(word);
        }
    }

    /// <summary>Why <paramref name="sentence"/> is not backed by the context; empty when it is.</summary>
    public List<string> Check(string sentence)
    {
        var reasons = new List<string>();
        var dateSpans = new List<TextSpan>();
        foreach (var (readings, span) in Claims.Dates(sentence))
        {
            dateSpans.Add(span);
            if (!readings.Any(_dates.Contains))
            {
                reasons.Add($"date {sentence.Substring(span.Start, span.Length)} not in context");
            }
        }
        var listMarker = ListMarkerLength(sentence);
        foreach (var (value, span) in Claims.Numbers(sentence))
        {
            if (span.Start < listMarker || dateSpans.Any(d => span.Start >= d.Start && span.Start < d.End))
            {
                continue;
            }
            if (!_numbers.Contains(value))
            {
                var label = $"number {value} not in context";
                if (!reasons.Contains(label))
                {
                    reasons.Add(label);
                }
            }
        }
        foreach (var name in Claims.Names(sentence))
        {
            if (!Claims.Words(name).All(_words.Contains))
            {
                reasons.Add($"name {name} not in context");
            }
        }
        return reasons;
    }

    // "1. " or "2) " opening a list item is numbering, not a claim.
    private static int ListMarkerLength(string sentence)
    {
        var i = 0;
        while (i < sentence.Length && char.IsDigit(sentence[i]))
        {
            i++;
        }
        return i > 0 && i < sentence.Length - 1 && sentence[i] is '.' or ')' && sentence[i + 1] == ' ' ? i + 1 : 0;
    }
}
