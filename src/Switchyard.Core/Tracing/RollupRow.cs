namespace Switchyard.Tracing;

/// <summary>One stored row of a rollup: the start of its minute or hour and its <see cref="MinuteStats"/>, serialised.</summary>
internal readonly record struct RollupRow(long StartUs, byte[] Stats);
