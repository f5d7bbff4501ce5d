using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Identity;

/// <summary>
/// Virtual key secrets: 256 random bits, shown once, stored as SHA-256. A hash of a high-entropy secret
/// needs no salt or slow KDF: there is nothing to guess that a dictionary could hold.
/// </summary>
internal static class KeySecret
{
    public const string Prefix = "sy-";

    public static string Generate() => Prefix + RandomToken();

    /// <summary>256 random bits, base64url without padding (43 characters).</summary>
    public static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Enough of the secret for a person to recognise it in a list, never enough to use it.</summary>
    public static string Hint(string secret) => secret.Length < 12 ? "…" : $"{secret[..6]}…{secret[^4..]}";

    public static SecretHash Hash(string secret) => Hash(secret.AsSpan());

    public static SecretHash Hash(ReadOnlySpan<char> secret)
    {
        Span<byte> digest = stackalloc byte[32];
        if (secret.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[secret.Length * 3];
            var length = Encoding.UTF8.GetBytes(secret, utf8);
            SHA256.HashData(utf8[..length], digest);
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(secret.ToArray()), digest);
        }

        return SecretHash.From(digest);
    }
}
