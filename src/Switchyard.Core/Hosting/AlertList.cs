using System.Text.Json.Serialization;

namespace Switchyard.Hosting;

/// <summary><c>GET /api/alerts</c>: fired alerts, newest first.</summary>
internal sealed record AlertList([property: JsonPropertyName("data")] IReadOnlyList<AlertItem> Data);
