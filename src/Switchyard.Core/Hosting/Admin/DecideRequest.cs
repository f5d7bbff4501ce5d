namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/experiments/{id}/decide</c>: the winning variant, whose version the label moves to.</summary>
internal sealed record DecideRequest
{
    public string? Winner { get; init; }
}
