using System.Text.Json;

namespace Switchyard.Hosting;

/// <summary>The body of <c>POST /api/prompts/{name}/rollouts</c>.</summary>
internal sealed record RolloutRequest
{
    /// <summary>The new version.</summary>
    public int? Version { get; init; }

    /// <summary>The label to move; <c>production</c> by default.</summary>
    public string? Label { get; init; }

    /// <summary>The canary's share per step, in percent; <c>[5, 50, 100]</c> by default.</summary>
    public int[]? Steps { get; init; }

    /// <summary>Canary calls a step needs before it is judged; 200 by default.</summary>
    public int? MinCalls { get; init; }

    /// <summary>The least time a step lasts: <c>"30m"</c> or seconds; 30 minutes by default.</summary>
    public JsonElement? Interval { get; init; }

    public RolloutGatesBody? Gates { get; init; }

    /// <summary><c>user</c> (default), <c>session</c> or <c>key</c>.</summary>
    public string? Unit { get; init; }
}
