using System.Text.Json.Serialization;
using Switchyard.Spend.Alerts;

namespace Switchyard.Hosting;

/// <summary><c>GET /api/alerts</c>: fired alerts, newest first.</summary>
internal sealed record AlertList([property: JsonPropertyName("data")] IReadOnlyList<AlertItem> Data);
