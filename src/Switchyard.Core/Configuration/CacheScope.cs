namespace Switchyard.Configuration;

/// <summary>Whose answers a cached entry may be served to.</summary>
internal enum CacheScope
{
    /// <summary>Only calls with the same virtual key (anonymous local calls share one namespace).</summary>
    Key,

    /// <summary>Calls of the same team (keys without a team keep their own namespace).</summary>
    Team,

    /// <summary>Every caller of the gateway: only for deployments where no tenant's prompt is private.</summary>
    Global,
}
