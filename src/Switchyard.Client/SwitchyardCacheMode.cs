namespace Switchyard.Client;

/// <summary>How one call uses the gateway's response cache (the <c>x-switchyard-cache</c> header).</summary>
public enum SwitchyardCacheMode
{
    /// <summary>Skip the lookup (always ask the model) but store the answer: <c>no-cache</c>.</summary>
    NoCache = 1,

    /// <summary>Look up as usual but do not store this answer: <c>no-store</c>.</summary>
    NoStore = 2,

    /// <summary>Neither look up nor store: <c>off</c>.</summary>
    Off = 3,
}
