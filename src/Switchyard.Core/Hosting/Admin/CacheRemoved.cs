namespace Switchyard.Hosting;

/// <summary><c>DELETE /api/cache</c>: how many entries went.</summary>
internal sealed record CacheRemoved(int Removed);
