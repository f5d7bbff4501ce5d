using System.Net;

namespace Switchyard.Cli.Commands;

/// <summary>Whether every configured listener is on the loopback interface.</summary>
internal static class ListenerAddresses
{
    public static bool AllLoopback(string urls, out string? exposed)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel accepts wildcards (http://*:4000, http://+:4000) that Uri cannot parse as hosts.
            var host = url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal)
                ? "*"
                : Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : "*";
            var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
            if (!loopback)
            {
                exposed = url;
                return false;
            }
        }

        exposed = null;
        return true;
    }
}
