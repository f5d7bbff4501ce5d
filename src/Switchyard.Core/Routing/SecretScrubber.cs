using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Switchyard.Configuration;

namespace Switchyard.Routing;

/// <summary>
/// Takes one deployment's own credentials out of upstream error text before the gateway relays, traces,
/// logs or shows it. Upstreams quote what they were sent: a 401 names the key it refused, a proxy's error
/// page echoes request headers, and .NET quotes a reply it could not parse in its exception message.
/// </summary>
/// <remarks>
/// The secrets are the deployment's <c>api_key</c>, its extra header values (and the credential after a
/// scheme such as <c>Bearer</c>), and the userinfo and key-like query parameters of its <c>base_url</c>.
/// Each is looked for in every form an error may carry it: raw (which covers <c>Bearer &lt;key&gt;</c>),
/// JSON-escaped (<c>\/</c> or not, <c>\u002B</c> style or minimal, either hex case), URL-encoded (either
/// hex case), and the hyphenated hex .NET uses to quote bytes (<c>73-6B-2D…</c>). Only error paths call
/// it: successful answers and streams are never scanned.
/// </remarks>
internal sealed class SecretScrubber
{
    /// <summary>What replaces each occurrence.</summary>
    public const string Marker = "[redacted]";

    /// <summary>Shorter values (a region <c>eu</c>, a version <c>2</c>) would match ordinary words in every error.</summary>
    public const int MinLength = 6;

    public static readonly SecretScrubber None = new([]);

    private static readonly byte[] s_marker = Encoding.UTF8.GetBytes(Marker);

    /// <summary>Query parameter names whose values are credentials (<c>key</c>, <c>api_key</c>, <c>sig</c>, <c>code</c>, <c>access_token</c>...).</summary>
    private static readonly string[] s_keyLikeNames = ["key", "token", "secret", "sig", "pass", "pwd", "auth", "code", "credential"];

    /// <summary>Every form of every secret, longest first: where two start at one place, the longer is replaced.</summary>
    private readonly string[] _forms;

    private readonly byte[][] _utf8Forms;

    private readonly SearchValues<string>? _search;

    public SecretScrubber(IEnumerable<string?> secrets)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets)
        {
            if (secret is { Length: >= MinLength })
            {
                AddForms(forms, secret);
            }
        }

        _forms = [.. forms.OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
        _utf8Forms = [.. _forms.Select(f => Encoding.UTF8.GetBytes(f))];
        _search = _forms.Length == 0 ? null : SearchValues.Create(_forms, StringComparison.Ordinal);
    }

    /// <summary>True when the deployment has no secret long enough to look for.</summary>
    public bool IsEmpty => _search is null;

    /// <summary>The scrubber of a deployment's configured credentials, built once with the deployment.</summary>
    public static SecretScrubber For(DeploymentOptions options)
    {
        var secrets = new List<string?> { options.ApiKey };
        foreach (var value in options.Headers.Values)
        {
            secrets.Add(value);
            // "Bearer <token>", "Basic <credentials>": the credential alone is what an upstream quotes back.
            if (value.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var scheme, var credential] && scheme.All(char.IsAsciiLetter))
            {
                secrets.Add(credential);
            }
        }

        if (!string.IsNullOrWhiteSpace(options.BaseUrl) && Uri.TryCreate(options.BaseUrl.Trim(), UriKind.Absolute, out var uri))
        {
            AddUrlSecrets(secrets, uri);
        }

        return new SecretScrubber(secrets);
    }

    /// <summary>The text with every secret replaced by <see cref="Marker"/>; the same instance when it holds none.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public string? Scrub(string? text)
    {
        if (_search is null || text is null)
        {
            return text;
        }

        var rest = text.AsSpan();
        var index = rest.IndexOfAny(_search);
        if (index < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        while (index >= 0)
        {
            builder.Append(rest[..index]).Append(Marker);
            rest = rest[(index + MatchLength(rest[index..])) ..];
            index = rest.IndexOfAny(_search);
        }

        return builder.Append(rest).ToString();
    }

    /// <summary>The UTF-8 body with every secret replaced by <see cref="Marker"/>; the same array when it holds none.</summary>
    public byte[] Scrub(byte[] body)
    {
        if (_search is null)
        {
            return body;
        }

        var rest = body.AsSpan();
        var index = FindFirst(rest, out var length);
        if (index < 0)
        {
            return body;
        }

        var output = new ArrayBufferWriter<byte>(body.Length);
        while (index >= 0)
        {
            output.Write(rest[..index]);
            output.Write(s_marker);
            rest = rest[(index + length) ..];
            index = FindFirst(rest, out length);
        }

        output.Write(rest);
        return output.WrittenSpan.ToArray();
    }

    private int MatchLength(ReadOnlySpan<char> at)
    {
        foreach (var form in _forms)
        {
            if (at.StartsWith(form, StringComparison.Ordinal))
            {
                return form.Length;
            }
        }

        return 1;
    }

    /// <summary>
    /// The earliest occurrence of any form. Error bodies are at most 64 KiB and a deployment has a handful
    /// of forms, so one search per form is cheap; bytes are searched as bytes because a body need not be
    /// valid UTF-8.
    /// </summary>
    private int FindFirst(ReadOnlySpan<byte> span, out int length)
    {
        var first = -1;
        length = 0;
        foreach (var form in _utf8Forms)
        {
            // A match that starts before the one found so far ends before this window does.
            var window = first < 0 ? span : span[..Math.Min(span.Length, first + form.Length - 1)];
            var index = window.IndexOf(form);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
                length = form.Length;
            }
        }

        return first;
    }

    private static void AddUrlSecrets(List<string?> secrets, Uri uri)
    {
        if (uri.UserInfo.Length > 0)
        {
            // user:password keeps only the password (a user name such as "admin" would redact ordinary
            // words); a lone user part is a token (https://TOKEN@host).
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var secret = colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1) ..];
            secrets.Add(secret);
            secrets.Add(Uri.UnescapeDataString(secret));
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var name = Uri.UnescapeDataString(pair[..equals]);
            if (s_keyLikeNames.Any(k => name.Contains(k, StringComparison.OrdinalIgnoreCase)))
            {
                var value = pair[(equals + 1) ..];
                secrets.Add(value);
                secrets.Add(Uri.UnescapeDataString(value.Replace('+', ' ')));
            }
        }
    }

    private static void AddForms(HashSet<string> forms, string secret)
    {
        forms.Add(secret);
        foreach (var slash in (bool[])[false, true])
        {
            foreach (var strict in (bool[])[false, true])
            {
                forms.Add(JsonEscape(secret, slash, strict, lowerHex: false));
                forms.Add(JsonEscape(secret, slash, strict, lowerHex: true));
            }
        }

        var url = Uri.EscapeDataString(secret);
        forms.Add(url);
        forms.Add(LowerPercentHex(url));
        forms.Add(BitConverter.ToString(Encoding.UTF8.GetBytes(secret)));
    }

    /// <summary>
    /// A JSON string body as a serializer may have written it: <paramref name="strict"/> is System.Text.Json's
    /// default (HTML-sensitive characters, quotes and non-ASCII as <c>\uXXXX</c>), otherwise only what JSON
    /// requires; <paramref name="slash"/> writes <c>/</c> as <c>\/</c> (PHP, some Java libraries).
    /// </summary>
    private static string JsonEscape(string value, bool slash, bool strict, bool lowerHex)
    {
        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '"' when !strict:
                    builder.Append("\\\"");
                    break;
                case '/' when slash:
                    builder.Append(@"\/");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                case '\t':
                    builder.Append(@"\t");
                    break;
                case < ' ' or '"':
                case '&' or '\'' or '+' or '<' or '>' or '`' or > '~' when strict:
                    builder.Append(@"\u").Append(((int)c).ToString(lowerHex ? "x4" : "X4", CultureInfo.InvariantCulture));
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    private static string LowerPercentHex(string url)
    {
        var chars = url.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
                i += 2;
            }
        }

        return new string(chars);
    }
}
