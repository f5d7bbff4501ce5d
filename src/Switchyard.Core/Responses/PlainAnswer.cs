namespace Switchyard.Responses;

/// <summary>
/// A whole answer body on its way to the client. A response component returns it unchanged, returns a
/// transformed body, or returns an error in its place (<see cref="ResponseComponent.Error"/>).
/// </summary>
/// <param name="Body">Valid until the answer is written; a component that keeps it copies it.</param>
internal readonly record struct PlainAnswer(int Status, ReadOnlyMemory<byte> Body, AnswerOrigin Origin)
{
    /// <summary>
    /// What the trace keeps in place of <see cref="Body"/>, when a component put back values that must never
    /// be stored in clear (pseudonymised PII restored for the client).
    /// </summary>
    public ReadOnlyMemory<byte>? Recorded { get; init; }
}
