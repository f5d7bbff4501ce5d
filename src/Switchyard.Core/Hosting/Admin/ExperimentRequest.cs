namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/prompts/{name}/experiments</c>.</summary>
internal sealed record ExperimentRequest
{
    /// <summary>The label whose traffic is split; <c>production</c> by default.</summary>
    public string? Label { get; init; }

    public ExperimentVariantBody[]? Variants { get; init; }

    /// <summary><c>user</c> (default), <c>session</c> or <c>key</c>.</summary>
    public string? Unit { get; init; }

    /// <summary>Calls per variant before a verdict; 200 by default.</summary>
    public int? MinSample { get; init; }
}
