using System.Collections.Frozen;

namespace Switchyard.Routing;

/// <summary>The model groups this process serves, by public name.</summary>
internal sealed class ModelCatalog(IEnumerable<ModelGroup> groups)
{
    private readonly FrozenDictionary<string, ModelGroup> _groups = groups.ToFrozenDictionary(g => g.Name, StringComparer.Ordinal);

    public IEnumerable<ModelGroup> Groups => _groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal);

    public bool TryGet(string name, out ModelGroup group) => _groups.TryGetValue(name, out group!);
}
