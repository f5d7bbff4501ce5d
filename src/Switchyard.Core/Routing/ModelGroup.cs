namespace Switchyard.Routing;

/// <summary>A public model name and the deployments that serve it.</summary>
internal sealed class ModelGroup(string name, IReadOnlyList<Deployment> deployments)
{
    public string Name { get; } = name;

    /// <summary>The group's name in the limit store.</summary>
    public string StateKey { get; } = "model_group:" + name;

    public IReadOnlyList<Deployment> Deployments { get; } = deployments;

    public int TotalWeight { get; } = deployments.Sum(d => Math.Max(0, d.Options.Weight));

    public bool IsSimulated => Deployments.All(d => d.IsSimulated);
}
