using System.Text.Json;
using Switchyard.Hosting;

namespace Switchyard.Limits;

/// <summary><c>budget</c> in a request body (and in storage): each member given replaces the current value.</summary>
internal sealed record BudgetPatch : PatchBody
{
    /// <summary>A number or a string: the API writes USD amounts as strings, so they read back too.</summary>
    public JsonElement? MaxUsd { get; set => field = Mark(value); }

    public string? Window { get; set => field = Mark(value); }

    public string? Mode { get; set => field = Mark(value); }

    public double[]? AlertThresholds { get; set => field = Mark(value); }
}
