using System.Net;
using System.Net.Sockets;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// Which webhook targets Switchyard may post to. It is applied twice: to the URL when the
/// configuration is loaded (literal addresses and well-known names), and to every resolved address
/// when a connection is opened (<see cref="WebhookConnector"/>), so a name that resolves (or
/// re-resolves, DNS rebinding) to a refused address is refused too.
/// </summary>
/// <remarks>
/// Cloud metadata, unspecified, multicast and reserved addresses are always refused: no webhook
/// lives there, and metadata endpoints hand out credentials. Loopback, private and link-local
/// addresses are refused unless <c>alerts.allow_private_targets</c> is true (docs/decisions.md).
/// </remarks>
internal static class WebhookUrlPolicy
{
    // Names that resolve to a metadata service inside the cloud they belong to.
    private static readonly string[] s_metadataNames =
    [
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
    ];

    /// <summary>Parses and checks a configured URL; the error never contains the URL (it may be a secret).</summary>
    public static bool TryCreate(string url, bool allowPrivate, out Uri? uri, out string? error)
    {
        uri = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.IsFile || parsed.IsUnc)
        {
            error = "not an absolute http(s) URL.";
            return false;
        }

        if (parsed.Scheme is not ("http" or "https"))
        {
            error = $"the scheme must be http or https, not '{parsed.Scheme}'.";
            return false;
        }

        if (parsed.UserInfo.Length > 0)
        {
            // Also defeats the "http://169.254.169.254@example.com" reading confusion.
            error = "credentials in the URL are not supported; send them in headers.";
            return false;
        }

        error = CheckHost(HostOf(parsed), allowPrivate);
        if (error is not null)
        {
            return false;
        }

        uri = parsed;
        return true;
    }

    /// <summary>Why a host (a name or a literal address) is refused, or null. Names are only checked against known ones.</summary>
    public static string? CheckHost(string host, bool allowPrivate)
    {
        if (IPAddress.TryParse(host, out var address))
        {
            return RefusalReason(address, allowPrivate) is { } reason ? $"the host {host} is {reason}{Hint(reason)}" : null;
        }

        var name = host.TrimEnd('.').ToLowerInvariant();
        if (s_metadataNames.Contains(name, StringComparer.Ordinal))
        {
            return $"the host {name} is a cloud metadata service.";
        }

        if (!allowPrivate && (name == "localhost" || name.EndsWith(".localhost", StringComparison.Ordinal)))
        {
            return $"the host {name} is loopback; set alerts.allow_private_targets: true to allow it.";
        }

        return null;
    }

    /// <summary>Why a connection to this address is refused ("a cloud metadata address", ...), or null when it is allowed.</summary>
    public static string? RefusalReason(IPAddress address, bool allowPrivate)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var reason = address.AddressFamily == AddressFamily.InterNetwork ? ClassifyV4(address.GetAddressBytes()) : ClassifyV6(address.GetAddressBytes());
        return reason switch
        {
            null => null,
            Loopback or Private or LinkLocal when allowPrivate => null,
            _ => reason,
        };
    }

    /// <summary>Scheme and authority only, for logs and API answers: a Slack webhook's path is its secret.</summary>
    public static string Display(Uri uri) => $"{uri.Scheme}://{uri.Authority}";

    /// <summary>The host as a connection would use it: IDN-decoded (full-width digits become an address), no brackets.</summary>
    public static string HostOf(Uri uri)
    {
        var host = uri.IdnHost;
        return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
    }

    private const string Metadata = "a cloud metadata address";
    private const string Unspecified = "an unspecified address";
    private const string Multicast = "a multicast address";
    private const string Reserved = "a reserved or broadcast address";
    private const string Loopback = "a loopback address";
    private const string Private = "a private address";
    private const string LinkLocal = "a link-local address";

    private static string Hint(string reason) => reason is Loopback or Private or LinkLocal
        ? "; set alerts.allow_private_targets: true to allow it."
        : "; webhooks cannot target it.";

    private static string? ClassifyV4(ReadOnlySpan<byte> b) => b switch
    {
        [169, 254, 169, 254] or [169, 254, 170, 2] or [169, 254, 170, 23] or [100, 100, 100, 200] => Metadata,
        [0, ..] => Unspecified,
        [>= 224 and <= 239, ..] => Multicast,
        [>= 240, ..] => Reserved,
        [127, ..] => Loopback,
        [169, 254, ..] => LinkLocal,
        [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] or [100, >= 64 and <= 127, ..] or [198, 18 or 19, ..] => Private,
        _ => null,
    };

    private static string? ClassifyV6(byte[] b)
    {
        var address = new IPAddress(b);
        if (address.Equals(IPAddress.IPv6None))
        {
            return Unspecified;
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return Loopback;
        }

        // fd00:ec2::254 is the AWS instance metadata service over IPv6.
        if (b is [0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54])
        {
            return Metadata;
        }

        // Forms that carry an IPv4 address inside: IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::/96,
        // 6to4 2002::/16. The embedded address decides, so ::a9fe:a9fe is metadata too.
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0 || b is [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, ..])
        {
            return ClassifyV4(b.AsSpan(12, 4));
        }

        if (b is [0x20, 0x02, ..])
        {
            return ClassifyV4(b.AsSpan(2, 4));
        }

        return b switch
        {
            [0xff, ..] => Multicast,
            [0xfe, >= 0x80 and <= 0xbf, ..] => LinkLocal,
            [0xfe, >= 0xc0, ..] => Private, // site-local, deprecated but still routed internally
            [0xfc or 0xfd, ..] => Private, // unique local
            [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01, ..] => Private, // local-use NAT64 (RFC 8215)
            _ => null,
        };
    }
}
