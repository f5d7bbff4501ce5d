namespace Switchyard.Guardrails.Groundedness;

/// <summary>A piece of a text by position: UTF-16 start and length in the original string.</summary>
internal readonly record struct TextSpan(int Start, int Length)
{
    public int End => Start + Length;
}
