using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Cli.Commands;

/// <summary>
/// The command line's side of the admin API. <see cref="RunAsync"/> resolves the address and admin key,
/// runs a command's requests, and turns every failure into one line on stderr and an exit code, so a
/// command only says what to ask and how to print the answer.
/// </summary>
internal sealed class ApiClient : IDisposable
{
    private readonly HttpClient _http;

    private ApiClient(Uri baseAddress, string key)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a client for <c>--url</c> and the admin key. Missing key or bad
    /// address: exit 2. API error: <c>STATUS: message</c>, exit 5. Unreachable: exit 5.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult result, ApiOptions options, Func<ApiClient, Task<int>> work, CancellationToken cancellationToken)
    {
        var url = options.UrlOf(result);
        var key = result.GetValue(options.Key) ?? Environment.GetEnvironmentVariable("SWITCHYARD_ADMIN_KEY");
        if (string.IsNullOrEmpty(key))
        {
            await Console.Error.WriteLineAsync("An admin key is needed: --key or SWITCHYARD_ADMIN_KEY.").ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            // Name where the address came from: a stale SWITCHYARD_URL is easy to forget.
            var source = result.GetValue(options.Url) is not null || ApiOptions.EnvironmentUrl is null ? "--url" : ApiOptions.UrlVariable;
            await Console.Error.WriteLineAsync($"{source}: '{url}' is not an http:// or https:// address.").ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        using var client = new ApiClient(address, key);
        try
        {
            return await work(client).ConfigureAwait(false);
        }
        catch (ApiException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Status}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.RequestFailed;
        }
        catch (HttpRequestException ex)
        {
            await Console.Error.WriteLineAsync($"Could not reach Switchyard at {url}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.RequestFailed;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; Ctrl-C is the caller's and passes through.
            await Console.Error.WriteLineAsync($"Switchyard at {url} did not answer within {client._http.Timeout.TotalMinutes:0} minutes.").ConfigureAwait(false);
            return ExitCodes.RequestFailed;
        }
    }

    public Task<string> GetAsync(string path, CancellationToken cancellationToken) => SendAsync(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>Sends <paramref name="body"/> (if any) as JSON; returns the answer's body, or throws <see cref="ApiException"/> on an error status.</summary>
    public async Task<string> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var message = ErrorMessage(text);
            throw new ApiException((int)response.StatusCode, message.Length > 0 ? message : response.ReasonPhrase ?? "The request failed.");
        }

        return text;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The message of an <c>{"error":{"message":...}}</c> body; anything else (a proxy's HTML page) as it came.</summary>
    private static string ErrorMessage(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("error").GetProperty("message").GetString() ?? body;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body;
        }
    }
}
