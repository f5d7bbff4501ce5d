namespace Switchyard.Limits;

internal enum LimitKind
{
    Requests,
    Tokens,
    Concurrency,
    Budget,
}
