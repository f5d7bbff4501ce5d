namespace Switchyard.Routing;

/// <summary>Orders a group's deployments for one call: weighted random first pick, the rest as fallbacks in weighted order.</summary>
internal static class DeploymentSelector
{
    public static Deployment[] Order(ModelGroup group)
    {
        var all = group.Deployments;
        if (all.Count == 1)
        {
            return [all[0]];
        }

        var pool = all.Where(d => d.Options.Weight > 0).ToList();
        var order = new Deployment[pool.Count];
        for (var i = 0; i < order.Length; i++)
        {
            var total = pool.Sum(d => d.Options.Weight);
            var pick = Random.Shared.Next(total);
            var index = 0;
            while (pick >= pool[index].Options.Weight)
            {
                pick -= pool[index].Options.Weight;
                index++;
            }

            order[i] = pool[index];
            pool.RemoveAt(index);
        }

        return order;
    }
}
