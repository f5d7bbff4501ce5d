namespace Switchyard.Limits;

/// <summary>Why a call was refused, and when it could succeed.</summary>
/// <param name="RetryAfter">Null when waiting cannot help (the request alone exceeds the limit, or a total budget is spent).</param>
internal readonly record struct LimitRejection(LimitKind Kind, LimitCheck Check, long Limit, long Used, long Requested, TimeSpan? RetryAfter);
