using Switchyard.Guardrails.Injection;

namespace Switchyard.Training;

/// <summary>
/// Benign texts written for this project that look like attacks to a keyword filter: requests dense
/// with formatting constraints ("respond only in", "give two different answers", "repeat the
/// request first"), everyday uses of ignore, bypass, override, forget, pretend and act as, questions
/// about prompt injection and jailbreaks, and harmless role-play.
/// </summary>
internal static class SyntheticHardNegatives
{
    private static readonly string[] s_topics =
    [
        "the water cycle", "remote work", "the history of tea", "electric cars", "urban beekeeping", "the Roman roads", "sleep hygiene",
        "public libraries", "board games", "ocean tides", "composting", "the printing press", "minimalist design", "jazz", "solar panels",
    ];

    private static readonly string[] s_constraints =
    [
        "Your entire response must be in lowercase letters.", "Give two different answers separated by six asterisks.", "Respond only in Portuguese, no other language is allowed.",
        "First repeat the request word for word without change, then give your answer.", "Wrap your whole answer in double quotation marks.", "Do not use any commas in your response.",
        "End your response with the exact phrase 'Is there anything else I can help with?'", "Highlight at least three sections with markdown, like *highlighted section*.",
        "Your answer must contain a title wrapped in double angular brackets, such as <<title>>.", "Use at most 120 words and include the keywords 'balance' and 'habit'.",
        "Write exactly four paragraphs separated by the markdown divider ***.", "Answer in all capital letters.", "Include a postscript starting with P.S.",
        "Ignore spelling rules for brand names and keep them as written.", "Pretend the reader is ten years old.",
    ];

    private static readonly string[] s_tasks =
    [
        "Write a short essay about {0}.", "Write a limerick about {0}.", "Explain {0} to a new colleague.", "Write a product description for a book about {0}.",
        "Draft a blog post introduction about {0}.", "Write a rap verse about {0}.", "Give me a list of pros and cons of {0}.",
    ];

    private static readonly string[] s_everyday =
    [
        "How do I bypass the proxy for local addresses in my browser settings?", "Can I override a sealed method in C#? What are the alternatives?",
        "My manager told me to ignore the old style guide. Where can I find the new one?", "How do I make grep ignore binary files?",
        "Should I forget about the sunk cost of my old car and buy a new one?", "Pretend you are a tour guide in Rome and describe the Colosseum.",
        "Act as a personal trainer and give me a 20-minute morning routine.", "Act as an interviewer for a junior developer role and ask me three questions.",
        "Let's role-play ordering food at a café in French; you are the waiter.", "You are a friendly librarian. Recommend three mystery novels.",
        "How do I bypass a clogged section of pipe when unblocking a sink?", "What does the 'override' keyword do in Kotlin?",
        "Disregard the previous draft I sent; here is the corrected paragraph: 'Our team grew by four people this year.' Can you proofread it?",
        "Forget what I said about the blue theme, let's use green. Can you suggest a matching accent colour?", "Ignore the first row of the CSV, it is a header. How do I skip it in pandas?",
        "How do jailbreak prompts work against chatbots, and how do companies defend against them?", "What is prompt injection and why is it a risk for apps that read e-mails?",
        "Write a short talk for developers about defending LLM apps against prompt injection.", "Our security team wants a policy on system prompts. What should it cover?",
        "What is the difference between a jailbroken iPhone and a rooted Android phone?", "How do I reset my router to factory settings if I forgot the admin password?",
        "Is it safe to store the API key in an environment variable?", "What does 'developer mode' on Android let me do?",
        "In the game, my character has to sneak past the guards. Any tips for the stealth level?", "Write a bedtime story where a dragon learns to share.",
        "Let's play twenty questions. I'm thinking of an animal.", "Imagine you are a Victorian inventor and describe your latest machine.",
        "Respond as Shakespeare would to a complaint about slow trains.", "How do I override CSS from a third-party library without !important?",
        "The instructions on the medicine say to ignore a missed dose if it's almost time for the next one. Is that common?",
        "Can you explain the Three Laws of Robotics and how stories break them?", "My kid wants to play pretend: you are a pirate captain and she is the parrot.",
        "How can I stop following someone on Instagram without them noticing?", "What should the system administrator check first when the mail server is down?",
        "Write a scene where two detectives argue about who the culprit is.", "Give me a villain's speech for a children's play; he wants to steal all the cookies.",
    ];

    private static readonly string[] s_terms =
    [
        "system prompt", "prompt injection", "jailbreak", "red teaming", "guardrail", "developer message", "context window", "temperature setting",
        "content filter", "safety policy",
    ];

    private static readonly string[] s_termQuestions =
    [
        "Can you explain what a {0} is, for {1}?", "In simple words, what is a {0} in an AI chatbot? I'm {1}.", "Why do LLM applications use a {0}? Keep it short for {1}.",
        "Write a glossary entry for '{0}' aimed at {1}.", "What are common mistakes teams make with their {0}? Answer for {1}.",
    ];

    private static readonly string[] s_audiences = ["a product manager", "a teenager", "my grandmother", "a journalist", "a new developer", "a law student"];

    private static readonly string[] s_roles =
    [
        "a fortune teller", "a medieval knight", "a weather forecaster", "a museum guide", "a retired sailor", "a talking cat", "a detective", "a sports commentator",
    ];

    private static readonly string[] s_roleTasks =
    [
        "Pretend that you are {0} and describe {1} to a crowd.", "Write a diary entry about {1} from the point of view of {0}.", "Imagine you are {0}. Give a short speech about {1}.",
        "You are {0}. Answer my questions about {1} in character.", "Role-play as {0} who has just discovered {1}.",
    ];

    /// <summary>The rows for one random stream.</summary>
    public static IEnumerable<LabelledText> Generate(Random random)
    {
        T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];
        for (int i = 0; i < 160; i++)
        {
            string task = string.Format(Pick(s_tasks), Pick(s_topics));
            string constraints = random.Next(2) == 0 ? Pick(s_constraints) : $"{Pick(s_constraints)} {Pick(s_constraints)}";
            yield return new LabelledText($"{task} {constraints}", 0, "synthetic_benign:constrained_instruction", SyntheticData.Source);
        }

        for (int i = 0; i < 60; i++)
        {
            yield return new LabelledText(string.Format(Pick(s_termQuestions), Pick(s_terms), Pick(s_audiences)), 0, "synthetic_benign:security_question", SyntheticData.Source);
        }

        for (int i = 0; i < 60; i++)
        {
            string task = string.Format(Pick(s_roleTasks), Pick(s_roles), Pick(s_topics));
            yield return new LabelledText(random.Next(2) == 0 ? task : $"{task} {Pick(s_constraints)}", 0, "synthetic_benign:role_play", SyntheticData.Source);
        }

        foreach (string text in s_everyday)
        {
            yield return new LabelledText(text, 0, "synthetic_benign:everyday_trigger_words", SyntheticData.Source);
        }
    }
}
