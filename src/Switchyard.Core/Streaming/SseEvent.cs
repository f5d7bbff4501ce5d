namespace Switchyard.Streaming;

/// <summary>One Server-Sent Event as it arrived: the raw bytes (terminator included) and its parsed fields.</summary>
internal readonly ref struct SseEvent
{
    public SseEvent(ReadOnlySpan<byte> raw, ReadOnlySpan<byte> name, ReadOnlySpan<byte> data)
    {
        Raw = raw;
        Name = name;
        Data = data;
    }

    public ReadOnlySpan<byte> Raw { get; }

    /// <summary>The <c>event:</c> field; empty when absent (the spec's default type "message").</summary>
    public ReadOnlySpan<byte> Name { get; }

    /// <summary>The <c>data:</c> field; several data lines are joined with LF as the spec says.</summary>
    public ReadOnlySpan<byte> Data { get; }

    public bool IsDone => Data.SequenceEqual("[DONE]"u8);
}
