namespace Switchyard.Ingress;

/// <summary>Bounds on what a request body may contain.</summary>
internal readonly record struct RequestLimits(int MaxDepth, int MaxMessages);
