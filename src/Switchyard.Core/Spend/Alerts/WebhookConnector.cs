using System.Net;
using System.Net.Sockets;

namespace Switchyard.Spend.Alerts;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of the webhook client: it resolves the host
/// itself, drops every address the <see cref="WebhookUrlPolicy"/> refuses, and connects to the
/// address it checked. Checking the address actually connected to (not a name resolved earlier) is
/// what defeats DNS rebinding.
/// </summary>
internal sealed class WebhookConnector(bool allowPrivate)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        var addresses = IPAddress.TryParse(host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        string? refusal = null;
        Exception? lastError = null;
        foreach (var resolved in addresses)
        {
            // A mapped address is an IPv4 destination; an IPv6 socket would need dual mode to reach it.
            var address = resolved.IsIPv4MappedToIPv6 ? resolved.MapToIPv4() : resolved;
            if (WebhookUrlPolicy.RefusalReason(address, allowPrivate) is { } reason)
            {
                refusal ??= $"{host} resolves to {address}, {reason}";
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                lastError = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        if (lastError is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(lastError);
        }

        throw new WebhookTargetRefusedException(refusal is null
            ? $"{host} resolves to no address."
            : $"refused: {refusal}{(allowPrivate ? "" : " (alerts.allow_private_targets is false)")}.");
    }
}
