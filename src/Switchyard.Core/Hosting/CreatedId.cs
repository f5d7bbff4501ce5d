using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary>The id of something just created.</summary>
internal sealed record CreatedId([property: JsonPropertyName("id")] long Id);
