using System.Text;
using Switchyard.Accounting;

namespace Switchyard.Providers.Sandbox;

/// <summary>
/// Plausible English from sentence templates over a small vocabulary. It reads like prose so demos look
/// alive and tokenizes like prose so token counts and costs are realistic; it means nothing.
/// </summary>
internal static class SandboxTextGenerator
{
    private static readonly string[] s_determiners = ["the", "every", "each", "this", "that", "our", "their", "one", "another", "any"];

    private static readonly string[] s_adjectives =
    [
        "quiet", "careful", "simple", "robust", "early", "modern", "gentle", "steady", "bright", "practical", "clear",
        "quick", "patient", "honest", "narrow", "broad", "useful", "small", "large", "reliable", "curious", "familiar",
        "distant", "fresh", "balanced", "complex", "shared", "local", "hidden", "steady", "open", "final",
    ];

    private static readonly string[] s_nouns =
    [
        "system", "gateway", "request", "model", "answer", "team", "process", "design", "network", "result", "cache",
        "user", "service", "budget", "policy", "report", "question", "signal", "pattern", "river", "garden", "window",
        "library", "engine", "market", "journey", "project", "method", "record", "city", "story", "bridge", "plan",
        "teacher", "village", "forest", "machine", "letter", "season", "harbor", "kitchen", "map", "idea", "road",
    ];

    private static readonly string[] s_verbs =
    [
        "improves", "reduces", "supports", "follows", "shapes", "explains", "balances", "connects", "measures",
        "protects", "reviews", "requires", "describes", "carries", "builds", "changes", "guides", "reaches", "keeps",
        "joins", "tests", "finds", "holds", "shows", "serves", "crosses", "opens", "answers",
    ];

    private static readonly string[] s_adverbs =
    [
        "quietly", "carefully", "quickly", "usually", "often", "rarely", "clearly", "slowly", "steadily", "gladly",
        "simply", "mostly", "eventually", "patiently",
    ];

    private static readonly string[] s_prepositions = ["with", "across", "near", "behind", "under", "through", "beside", "for", "around", "beyond"];

    private static readonly string[] s_conjunctions = ["and", "but", "so", "while", "because"];

    // Slots: D determiner, A adjective, N noun, V verb, R adverb, P preposition, C conjunction.
    private static readonly string[] s_templates =
    [
        "{D} {A} {N} {V} {D} {N}.",
        "{D} {N} {V} {D} {A} {N} {P} {D} {N}.",
        "In practice, {D} {N} {V} {D} {N} {R}.",
        "{D} {A} {N} {R} {V} {D} {N}, {C} {D} {N} {V} {D} {A} {N}.",
        "When {D} {N} {V} {D} {N}, {D} {A} {N} {V} {R}.",
        "{D} {N} {P} {D} {N} {V} {D} {A} {N}.",
        "It {V} {D} {A} {N} {P} {D} {N}.",
        "{D} {A} {N} {V} {D} {N} {C} {D} {N} {V} {R}.",
    ];

    /// <summary>One sentence.</summary>
    public static string Sentence(SandboxRandom random)
    {
        string template = random.Pick(s_templates);
        StringBuilder text = new(template.Length * 3);
        for (int i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 2 < template.Length && template[i + 2] == '}')
            {
                text.Append(Word(random, template[i + 1]));
                i += 2;
            }
            else
            {
                text.Append(template[i]);
            }
        }

        text[0] = char.ToUpperInvariant(text[0]);
        return text.ToString();
    }

    /// <summary>Whole sentences until at least <paramref name="targetTokens"/> tokens (at least one sentence).</summary>
    public static string Answer(SandboxRandom random, int targetTokens, string? model)
    {
        StringBuilder text = new();
        int tokens = 0;
        do
        {
            string sentence = text.Length == 0 ? Sentence(random) : " " + Sentence(random);
            text.Append(sentence);

            // o200k and cl100k pre-tokenize at the space before a word, so counts of pieces add up.
            tokens += TokenCounter.Count(sentence, model);
        }
        while (tokens < targetTokens);

        return text.ToString();
    }

    /// <summary>A short lower-case phrase of <paramref name="words"/> words, for generated JSON strings.</summary>
    public static string Phrase(SandboxRandom random, int words)
    {
        StringBuilder text = new();
        for (int i = 0; i < words; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(Word(random, i % 3 == 0 ? 'A' : 'N'));
        }

        return text.ToString();
    }

    /// <summary>A JSON object answer for <c>json_object</c> mode, which promises an object but no particular shape.</summary>
    public static string JsonObject(SandboxRandom random) => SandboxJson.WriteString(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("answer", Sentence(random));
        writer.WriteString("topic", Noun(random));
        writer.WriteNumber("confidence", Math.Round(0.5 + (random.NextDouble() / 2), 2));
        writer.WriteStartArray("points");
        for (int i = 0, count = 2 + random.Next(3); i < count; i++)
        {
            writer.WriteStringValue(Phrase(random, 3));
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    /// <summary>The opening of an answer that follows a tool result, so the reply visibly uses it.</summary>
    public static string ToolResultOpening(string? toolName, string output)
    {
        string excerpt = string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (excerpt.Length > 120)
        {
            excerpt = excerpt[..120] + "...";
        }

        string source = toolName is null ? "the tool" : $"the {toolName} tool";
        return excerpt.Length == 0 ? $"According to {source}, there is no result." : $"According to {source}, the result is: {excerpt}";
    }

    /// <summary>A single noun, for short identifiers.</summary>
    public static string Noun(SandboxRandom random) => random.Pick(s_nouns);

    private static string Word(SandboxRandom random, char slot) => slot switch
    {
        'D' => random.Pick(s_determiners),
        'A' => random.Pick(s_adjectives),
        'N' => random.Pick(s_nouns),
        'V' => random.Pick(s_verbs),
        'R' => random.Pick(s_adverbs),
        'P' => random.Pick(s_prepositions),
        _ => random.Pick(s_conjunctions),
    };
}
