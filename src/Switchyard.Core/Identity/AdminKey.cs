namespace Switchyard.Identity;

/// <summary>
/// The admin key, held only as a SHA-256 hash. Comparison is constant-time over hashes, so neither
/// the key's length nor its prefix leaks through timing.
/// </summary>
internal sealed class AdminKey(byte[] hash)
{
    public const string Prefix = "sy-admin-";

    private readonly SecretHash _hash = SecretHash.From(hash);

    public byte[] Hash { get; } = hash;

    public static AdminKey FromSecret(string secret) => new(HashOf(secret));

    public static string Generate() => Prefix + KeySecret.RandomToken();

    public bool Matches(ReadOnlySpan<char> presented) => Matches(KeySecret.Hash(presented));

    public bool Matches(in SecretHash presented) => presented.FixedTimeEquals(_hash);

    public static byte[] HashOf(string secret) => KeySecret.Hash(secret).ToBytes();
}
