namespace Switchyard.Hosting;

/// <summary>A list answer: <c>{"data":[…]}</c>.</summary>
internal sealed record DataList<T>(IReadOnlyList<T> Data);
