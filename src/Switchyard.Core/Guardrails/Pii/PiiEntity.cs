namespace Switchyard.Guardrails.Pii;

/// <summary>
/// One detected entity. <paramref name="Start"/> and <paramref name="Length"/> count UTF-16 code units of
/// the text given to <see cref="PiiDetector.Find"/>, so the span can be cut or masked without conversion.
/// <paramref name="Kind"/> narrows a <see cref="PiiTypes.Secret"/> to its format ("openai_key", "jwt", ...)
/// and is null for the other types.
/// </summary>
internal readonly record struct PiiEntity(string Type, int Start, int Length, double Score, string? Kind = null)
{
    /// <summary>The index one past the entity's last UTF-16 code unit.</summary>
    public int End => Start + Length;
}
