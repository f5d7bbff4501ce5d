using System.Globalization;
using Switchyard.Gateway;

namespace Switchyard.Routing;

/// <summary>
/// What the caller asked of routing in its headers: a deadline for the whole call
/// (<c>x-switchyard-timeout</c>, seconds) and its own fallbacks (<c>x-switchyard-fallbacks</c>: <c>off</c>
/// or a comma-separated list of model groups, which replaces the configured lists).
/// </summary>
internal sealed class RouteRequest
{
    private const int MaxCallerFallbacks = 10;

    private readonly long _deadline;
    private readonly ModelGroup[]? _callerFallbacks;
    private readonly bool _disabled;
    private readonly ModelCatalog? _catalog;

    private RouteRequest(long deadline, ModelGroup[]? callerFallbacks, bool disabled, ModelCatalog? catalog = null)
    {
        _deadline = deadline;
        _callerFallbacks = callerFallbacks;
        _disabled = disabled;
        _catalog = catalog;
    }

    /// <summary>A call that asked nothing: no deadline, configured fallbacks. Shared by every such call.</summary>
    public static RouteRequest Default(ModelCatalog catalog) => new(long.MaxValue, null, disabled: false, catalog);

    public static bool TryRead(CallContext call, ModelCatalog catalog, RouteRequest defaults, TimeProvider time, out RouteRequest request, out string? error)
    {
        request = defaults;
        error = null;
        var headers = call.Http.Request.Headers;
        var hasTimeout = headers.TryGetValue("x-switchyard-timeout", out var timeoutHeader);
        var hasFallbacks = headers.TryGetValue("x-switchyard-fallbacks", out var fallbackHeader);
        if (!hasTimeout && !hasFallbacks)
        {
            return true;
        }

        var deadline = long.MaxValue;
        if (hasTimeout)
        {
            var text = timeoutHeader.ToString().Trim();
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || !(seconds > 0) || seconds > 86_400)
            {
                error = $"x-switchyard-timeout: '{Shorten(text)}' is not a number of seconds above 0 and at most 86400.";
                return false;
            }

            deadline = time.GetTimestamp() + (long)(seconds * time.TimestampFrequency);
        }

        ModelGroup[]? fallbacks = null;
        var disabled = false;
        if (hasFallbacks)
        {
            var text = fallbackHeader.ToString().Trim();
            if (text.Equals("off", StringComparison.OrdinalIgnoreCase) || text.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                disabled = true;
            }
            else
            {
                var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (names.Length == 0 || names.Length > MaxCallerFallbacks)
                {
                    error = $"x-switchyard-fallbacks: give 'off' or 1 to {MaxCallerFallbacks} comma-separated model groups.";
                    return false;
                }

                var groups = new List<ModelGroup>(names.Length);
                foreach (var name in names)
                {
                    if (!catalog.TryGet(name, out var group))
                    {
                        error = $"x-switchyard-fallbacks: '{Shorten(name)}' is not a model group of this gateway.";
                        return false;
                    }

                    if (call.Caller.Key is { } key && !key.AllowsModel(group.Name))
                    {
                        error = $"x-switchyard-fallbacks: this key may not use the model group '{group.Name}'.";
                        return false;
                    }

                    if (group != call.Group && !groups.Contains(group))
                    {
                        groups.Add(group);
                    }
                }

                fallbacks = [.. groups];
            }
        }

        request = new RouteRequest(deadline, fallbacks, disabled, catalog);
        return true;
    }

    /// <summary>Time left before the caller's deadline; effectively unlimited without one.</summary>
    public TimeSpan TimeLeft(TimeProvider time)
    {
        if (_deadline == long.MaxValue)
        {
            return TimeSpan.MaxValue;
        }

        var left = time.GetElapsedTime(time.GetTimestamp(), _deadline);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// The groups to try after <paramref name="group"/> failed for <paramref name="reason"/>: the caller's list
    /// for any failure that allows one, else the configured list for the kind of failure. Client errors
    /// other than context-window and content-policy refusals have no fallback: another model would refuse too.
    /// </summary>
    public IEnumerable<ModelGroup> Fallbacks(ModelGroup group, FailureReason reason)
    {
        if (_disabled || _catalog is null)
        {
            yield break;
        }

        var allows = reason.IsRetryable() || reason is FailureReason.NoHealthyDeployment or FailureReason.ContextWindow or FailureReason.ContentPolicy;
        if (!allows)
        {
            yield break;
        }

        if (_callerFallbacks is not null)
        {
            foreach (var fallback in _callerFallbacks)
            {
                yield return fallback;
            }

            yield break;
        }

        var names = reason switch
        {
            FailureReason.ContextWindow => group.Routing.ContextWindowFallbacks,
            FailureReason.ContentPolicy => group.Routing.ContentPolicyFallbacks,
            _ => group.Routing.Fallbacks,
        };
        foreach (var name in names)
        {
            if (_catalog.TryGet(name, out var fallback))
            {
                yield return fallback;
            }
        }
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "…";
}
