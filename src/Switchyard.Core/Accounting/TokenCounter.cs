using Microsoft.ML.Tokenizers;

namespace Switchyard.Accounting;

/// <summary>
/// Counts tokens with the tokenizer of the model's family (o200k for current OpenAI models, cl100k for
/// older ones). Used when a provider reports no usage, for pre-flight estimates and by the sandbox.
/// Other providers' tokenizers are not public; o200k is a close estimate for them.
/// </summary>
internal static class TokenCounter
{
    private static readonly Lazy<Tokenizer> s_o200k = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));
    private static readonly Lazy<Tokenizer> s_cl100k = new(() => TiktokenTokenizer.CreateForEncoding("cl100k_base"));

    public static Tokenizer ForModel(string? model)
    {
        if (model is not null && (model.StartsWith("gpt-3.5", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("gpt-4-", StringComparison.OrdinalIgnoreCase)
            || model.Equals("gpt-4", StringComparison.OrdinalIgnoreCase)
            || model.StartsWith("text-embedding", StringComparison.OrdinalIgnoreCase)))
        {
            return s_cl100k.Value;
        }

        return s_o200k.Value;
    }

    public static int Count(string text, string? model = null) => string.IsNullOrEmpty(text) ? 0 : ForModel(model).CountTokens(text);
}
