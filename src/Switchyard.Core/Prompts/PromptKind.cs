namespace Switchyard.Prompts;

/// <summary>What a prompt version's template is: chat messages, or one text (Langfuse's two prompt types).</summary>
internal enum PromptKind
{
    Chat,
    Text,
}
