namespace Switchyard.Hosting;

/// <summary>A model group of <c>GET /api/models</c> and its deployments.</summary>
internal sealed record ModelGroupView(string Name, IReadOnlyList<DeploymentView> Deployments);
