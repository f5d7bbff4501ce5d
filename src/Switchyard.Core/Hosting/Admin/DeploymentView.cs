namespace Switchyard.Hosting;

/// <summary>A deployment of <c>GET /api/models</c>. Secrets never leave the process: only whether one is set.</summary>
internal sealed record DeploymentView(string Name, string Provider, string Model, string? BaseUrl, bool ApiKeySet, int Weight, bool Simulated);
