using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>One variant of an experiment: a version, its weight, and optionally its own model group and parameters.</summary>
internal sealed record ExperimentVariantBody
{
    public string? Name { get; init; }

    public int? Version { get; init; }

    public int? Weight { get; init; }

    public string? Model { get; init; }

    public JsonElement? Parameters { get; init; }
}
