namespace Switchyard.Chaos;

/// <summary>One kind of call in the soak mix.</summary>
/// <param name="Name">Label in the report.</param>
/// <param name="Model">The model group it calls.</param>
/// <param name="Stream">Whether it asks for a stream.</param>
/// <param name="Cancel">Whether the client gives up on purpose.</param>
/// <param name="Weight">Share of the mix (relative).</param>
/// <param name="Expected">Outcome prefixes that are normal for this kind; anything else is counted as unexpected.</param>
/// <param name="Description">What it exercises.</param>
internal sealed record TrafficKind(string Name, string Model, bool Stream, CancelMode Cancel, int Weight, string[] Expected, string Description)
{
    public LatencyHistogram Latency { get; } = new();

    public byte[] Body { get; } = ChatCaller.Body(Model, Stream);

    public bool IsExpected(string outcome) => Expected.Any(e => outcome.StartsWith(e, StringComparison.Ordinal));
}
