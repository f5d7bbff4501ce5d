namespace Switchyard.Identity;

/// <summary>How this process authenticates, decided once at start from the listeners and configuration.</summary>
internal sealed record AuthMode(bool AnonymousInference);
