namespace Switchyard.Hosting;

/// <summary>The answer to a delete: <c>{"id":"…","object":"team","deleted":true}</c>.</summary>
internal sealed record DeletedView(string Id, string Object, bool Deleted = true);
