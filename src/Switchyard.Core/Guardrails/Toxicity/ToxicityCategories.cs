namespace Switchyard.Guardrails.Toxicity;

/// <summary>The categories the shipped lexicon scores; each is a file <c>Data/{name}.txt</c>.</summary>
internal static class ToxicityCategories
{
    public const string Insult = "insult";
    public const string Threat = "threat";
    public const string Profanity = "profanity";
    public const string Sexual = "sexual";
    public const string IdentityAttack = "identity_attack";
    public const string SelfHarm = "self_harm";

    public static IReadOnlyList<string> All { get; } = [Insult, Threat, Profanity, Sexual, IdentityAttack, SelfHarm];
}
