namespace Switchyard.Gateway;

/// <summary>Who is calling: the key and its owners, plus what the request says about its end user.</summary>
internal sealed record Caller(string? KeyId, string? Team, string? User, bool IsAdmin)
{
    public static readonly Caller Anonymous = new(null, null, null, false);
}
