using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Chaos;

/// <summary>
/// Sends one chat completion and classifies what came back. One instance per worker: it owns the
/// receive buffer, so calls on one instance must not overlap.
/// </summary>
internal sealed class ChatCaller(HttpClient client, Uri baseUrl, string? key, TimeSpan timeout)
{
    private readonly Uri _endpoint = ChaosHttp.Combine(baseUrl, "/v1/chat/completions");
    private readonly AuthenticationHeaderValue? _auth = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
    private byte[] _buffer = new byte[16 * 1024];

    public static byte[] Body(string model, bool stream)
    {
        var m = "\"" + JsonEncodedText.Encode(model) + "\"";
        var json = stream
            ? $$$"""{"model":{{{m}}},"messages":[{"role":"user","content":"Say hello in five words."}],"max_tokens":16,"stream":true,"stream_options":{"include_usage":true}}"""
            : $$$"""{"model":{{{m}}},"messages":[{"role":"user","content":"Say hello in five words."}],"max_tokens":16}""";
        return Encoding.UTF8.GetBytes(json);
    }

    /// <param name="body">From <see cref="Body"/>.</param>
    /// <param name="stream">Whether <paramref name="body"/> asks for a stream.</param>
    /// <param name="cancel">Whether to give up on purpose, and when.</param>
    /// <param name="cancelDelay">For <see cref="CancelMode.AfterDelay"/>.</param>
    /// <param name="stop">The end of the run; a call it interrupts comes back with <see cref="CallResult.Stopped"/>.</param>
    public async Task<CallResult> CallAsync(byte[] body, bool stream, CancelMode cancel, TimeSpan cancelDelay, CancellationToken stop)
    {
        using var clientCancel = new CancellationTokenSource();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(stop, clientCancel.Token);
        cts.CancelAfter(timeout);
        if (cancel == CancelMode.AfterDelay)
        {
            clientCancel.CancelAfter(cancelDelay);
        }

        var start = Stopwatch.GetTimestamp();
        var status = 0;
        string? attempts = null;
        string? deployment = null;
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = content };
            if (_auth is not null)
            {
                request.Headers.Authorization = _auth;
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token).ConfigureAwait(false);
            status = (int)response.StatusCode;
            attempts = Header(response, "x-switchyard-attempts");
            deployment = Header(response, "x-switchyard-deployment");
            var isStream = stream && status == 200;
            await using var s = await response.Content.ReadAsStreamAsync(cts.Token).ConfigureAwait(false);
            var total = 0;
            while (true)
            {
                if (total == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }

                var n = await s.ReadAsync(_buffer.AsMemory(total), cts.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                var scanFrom = Math.Max(0, total - 16);
                total += n;
                if (!isStream)
                {
                    continue;
                }

                var window = _buffer.AsSpan(scanFrom, total - scanFrom);
                if (window.IndexOf("data: {\"error\""u8) >= 0 || window.IndexOf("event: error"u8) >= 0)
                {
                    // The gateway keeps a failed stream open a moment for clients that ignore error
                    // events; the outcome is known now.
                    return new CallResult("stream_error_event", status, Elapsed(start), attempts, deployment);
                }

                if (cancel == CancelMode.AfterFirstChunk && _buffer.AsSpan(0, total).IndexOf("\n\n"u8) >= 0)
                {
                    await clientCancel.CancelAsync().ConfigureAwait(false);
                    return new CallResult(CallResult.Cancelled, status, Elapsed(start), attempts, deployment);
                }
            }

            var elapsed = Elapsed(start);
            var received = _buffer.AsSpan(0, total);
            string outcome;
            if (status != 200)
            {
                outcome = "http_" + status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            else if (isStream)
            {
                outcome = received.TrimEnd("\r\n "u8).EndsWith("data: [DONE]"u8) ? CallResult.Ok : "stream_incomplete";
            }
            else
            {
                outcome = received.IndexOf("\"choices\""u8) >= 0 ? CallResult.Ok : "bad_body";
            }

            return new CallResult(outcome, status, elapsed, attempts, deployment);
        }
        catch (OperationCanceledException) when (clientCancel.IsCancellationRequested)
        {
            return new CallResult(CallResult.Cancelled, status, Elapsed(start), attempts, deployment);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return new CallResult("stopped", status, Elapsed(start), attempts, deployment, Stopped: true);
        }
        catch (OperationCanceledException)
        {
            return new CallResult("timeout", status, Elapsed(start), attempts, deployment);
        }
        catch (HttpRequestException ex)
        {
            return new CallResult("error_" + ex.HttpRequestError, status, Elapsed(start), attempts, deployment);
        }
        catch (IOException ex)
        {
            var error = ex is HttpIOException hio ? hio.HttpRequestError.ToString() : "io";
            return new CallResult((stream && status == 200 ? "stream_broken_" : "error_") + error, status, Elapsed(start), attempts, deployment);
        }
    }

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
