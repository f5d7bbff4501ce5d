using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Identity;
using Switchyard.Limits;

namespace Switchyard.Hosting;

/// <summary>
/// The members keys, teams and users share: a name, metadata, limits and a budget. The order lists them
/// in an unknown-member message as the API always has: id and name first, metadata, limits and budget last.
/// </summary>
internal abstract record SubjectRequest : PatchBody
{
    [JsonPropertyOrder(-1)]
    public string? Name { get; set => field = Mark(value); }

    [JsonPropertyOrder(1)]
    public JsonElement? Metadata { get; set => field = Mark(value); }

    [JsonPropertyOrder(1)]
    public LimitsPatch? Limits { get; set => field = Mark(value); }

    [JsonPropertyOrder(1)]
    public BudgetPatch? Budget { get; set => field = Mark(value); }

    /// <summary>Metadata, limits and budget merged into <paramref name="current"/>'s; the first problem, or null.</summary>
    public string? Merge(LimitedSubject current, out string? metadata, out RateLimits limits, out Budget? budget)
    {
        metadata = current.MetadataJson;
        limits = current.Limits;
        budget = current.Budget;
        if (Has(nameof(Metadata)))
        {
            if (Metadata is { ValueKind: not JsonValueKind.Object and not JsonValueKind.Null })
            {
                return "metadata: must be a JSON object.";
            }

            metadata = Metadata is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : null;
        }

        return (Has(nameof(Limits)) ? PolicyJson.Apply(Limits, "limits", current.Limits, out limits) : null)
            ?? (Has(nameof(Budget)) ? PolicyJson.Apply(Budget, "budget", current.Budget, out budget) : null);
    }
}
