namespace Switchyard.Routing;

/// <summary>A public model name, the deployments that serve it, and how calls are routed among them.</summary>
internal sealed class ModelGroup
{
    private int _roundRobin = -1;

    public ModelGroup(string name, IReadOnlyList<Deployment> deployments, GroupRouting? routing = null)
    {
        Name = name;
        StateKey = "model_group:" + name;
        Deployments = deployments;
        TotalWeight = deployments.Sum(d => Math.Max(0, d.Options.Weight));
        Routing = routing ?? GroupRouting.Default;
        Budget = new RetryBudget(Routing.RetryBudget, Routing.Time);
    }

    public string Name { get; }

    /// <summary>The group's name in the limit store.</summary>
    public string StateKey { get; }

    /// <summary>At most 64, so a call can mark the ones it tried in one <see cref="ulong"/>.</summary>
    public IReadOnlyList<Deployment> Deployments { get; }

    public int TotalWeight { get; }

    public bool IsSimulated => Deployments.All(d => d.IsSimulated);

    public GroupRouting Routing { get; }

    /// <summary>The group's retry budget, shared by every call to it.</summary>
    public RetryBudget Budget { get; }

    /// <summary>The next round-robin position.</summary>
    public int NextTurn() => Interlocked.Increment(ref _roundRobin) & int.MaxValue;
}
