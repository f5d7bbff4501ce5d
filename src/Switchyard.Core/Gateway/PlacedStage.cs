namespace Switchyard.Gateway;

/// <summary>
/// A stage registered for one of the named places of the request path; stages of the same place run in
/// the order they were registered.
/// </summary>
internal sealed record PlacedStage(PipelinePlace Place, CallStage Stage);
