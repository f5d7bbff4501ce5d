using System.Buffers;
using System.Text.Json;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// Credentials recognised by their published formats: OpenAI, Anthropic, AWS, GitHub, Slack, Stripe and
/// Google API keys, JSON Web Tokens (the header must decode to a JSON object with "alg") and PEM private
/// key blocks. One vectorised search finds every known prefix; each hit is then checked by hand against its
/// format's alphabet and length, so the scan is linear and a text without prefixes costs one pass.
/// </summary>
/// <remarks>A PEM block is looked for at most <see cref="MaxPemLength"/> characters past its BEGIN line.</remarks>
internal sealed class SecretRecognizer : IPiiRecognizer
{
    internal const int MaxPemLength = 16_384;

    private static readonly SearchValues<string> s_prefixes = SearchValues.Create(
    [
        "sk-", "AKIA", "ASIA", "aws_secret", "AWS_SECRET", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_",
        "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "hooks.slack.com/services/", "sk_live_", "rk_live_",
        "pk_live_", "AIza", "eyJ", "-----BEGIN ",
    ], StringComparison.Ordinal);

    public IReadOnlyList<string> Types { get; } = [PiiTypes.Secret];

    public void Find(string text, List<PiiEntity> results)
    {
        int pos = 0;
        while (pos < text.Length)
        {
            int hit = text.AsSpan(pos).IndexOfAny(s_prefixes);
            if (hit < 0)
            {
                return;
            }

            int start = pos + hit;
            int end = TryMatch(text, start, results);
            pos = end > start ? end : start + 1;
        }
    }

    private static bool IsKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    private static bool IsBase64Char(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '+' or '=';

    private static int Run(string text, int from, Func<char, bool> allowed, int max)
    {
        int end = from;
        while (end < text.Length && end - from < max && allowed(text[end]))
        {
            end++;
        }

        return end;
    }

    /// <summary>Checks the prefix at <paramref name="start"/>; adds a secret and returns its end, or returns -1.</summary>
    private static int TryMatch(string text, int start, List<PiiEntity> results)
    {
        ReadOnlySpan<char> rest = text.AsSpan(start);
        bool boundary = start == 0 || !(char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '_' or '-');
        if (rest.StartsWith("hooks.slack.com/services/", StringComparison.Ordinal))
        {
            int urlStart = start;
            if (text.AsSpan(0, start).EndsWith("https://", StringComparison.Ordinal))
            {
                urlStart = start - 8;
            }

            int end = Run(text, start + 25, c => char.IsAsciiLetterOrDigit(c) || c == '/', 120);
            return end - start >= 25 + 20 ? Add(results, urlStart, end, "slack_webhook") : -1;
        }

        if (rest.StartsWith("-----BEGIN ", StringComparison.Ordinal))
        {
            return MatchPem(text, start, results);
        }

        if (rest.StartsWith("aws_secret", StringComparison.OrdinalIgnoreCase))
        {
            return MatchAwsSecret(text, start, results);
        }

        if (!boundary)
        {
            return -1;
        }

        if (rest.StartsWith("sk-ant-", StringComparison.Ordinal))
        {
            return Keyed(text, start, 7, 32, 200, IsKeyChar, "anthropic_key", results);
        }

        if (rest.StartsWith("sk-", StringComparison.Ordinal))
        {
            int body = rest.StartsWith("sk-proj-", StringComparison.Ordinal) ? 8
                : rest.StartsWith("sk-svcacct-", StringComparison.Ordinal) ? 11
                : rest.StartsWith("sk-admin-", StringComparison.Ordinal) ? 9 : 3;
            return Keyed(text, start, body, 20, 200, IsKeyChar, "openai_key", results, needsDigit: true);
        }

        if (rest.StartsWith("AKIA", StringComparison.Ordinal) || rest.StartsWith("ASIA", StringComparison.Ordinal))
        {
            int end = Run(text, start + 4, c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c), 17);
            return end - start == 20 && !TextScan.IsWordCharAt(text, end) ? Add(results, start, end, "aws_access_key_id") : -1;
        }

        if (rest.StartsWith("github_pat_", StringComparison.Ordinal))
        {
            return Keyed(text, start, 11, 22, 255, c => char.IsAsciiLetterOrDigit(c) || c == '_', "github_token", results);
        }

        if (rest.Length > 4 && rest[0] == 'g' && rest[1] == 'h' && rest[3] == '_')
        {
            int end = Run(text, start + 4, char.IsAsciiLetterOrDigit, 256);
            return end - start is >= 40 and <= 255 && !TextScan.IsWordCharAt(text, end) ? Add(results, start, end, "github_token") : -1;
        }

        if (rest.StartsWith("xox", StringComparison.Ordinal) || rest.StartsWith("xapp-", StringComparison.Ordinal))
        {
            int end = Run(text, start, IsKeyChar, 256);
            return end - start >= 24 && rest[..(end - start)].Count('-') >= 2 ? Add(results, start, end, "slack_token") : -1;
        }

        if (rest.StartsWith("sk_live_", StringComparison.Ordinal) || rest.StartsWith("rk_live_", StringComparison.Ordinal)
            || rest.StartsWith("pk_live_", StringComparison.Ordinal))
        {
            return Keyed(text, start, 8, 16, 255, char.IsAsciiLetterOrDigit, "stripe_key", results);
        }

        if (rest.StartsWith("AIza", StringComparison.Ordinal))
        {
            int end = Run(text, start + 4, IsKeyChar, 36);
            return end - start == 39 && !TextScan.IsWordCharAt(text, end) ? Add(results, start, end, "google_api_key") : -1;
        }

        if (rest.StartsWith("eyJ", StringComparison.Ordinal))
        {
            return MatchJwt(text, start, results);
        }

        return -1;
    }

    private static int Keyed(string text, int start, int prefix, int minBody, int maxBody, Func<char, bool> allowed, string kind,
        List<PiiEntity> results, bool needsDigit = false)
    {
        int end = Run(text, start + prefix, allowed, maxBody + 1);
        int body = end - start - prefix;
        if (body < minBody || body > maxBody || TextScan.IsWordCharAt(text, end))
        {
            return -1;
        }

        // Prose such as "sk-learn-compatible-estimators" has the alphabet but no digits; real keys are random.
        if (needsDigit && text.AsSpan(start + prefix, body).IndexOfAnyInRange('0', '9') < 0)
        {
            return -1;
        }

        return Add(results, start, end, kind);
    }

    private static int Add(List<PiiEntity> results, int start, int end, string kind)
    {
        results.Add(new PiiEntity(PiiTypes.Secret, start, end - start, 0.99, kind));
        return end;
    }

    private static int MatchAwsSecret(string text, int start, List<PiiEntity> results)
    {
        // aws_secret_access_key = "wJalr...": the name, an optional quote, ':' or '=', then 40 base64 characters.
        int pos = Run(text, start, c => char.IsAsciiLetter(c) || c == '_', 40);
        int limit = Math.Min(text.Length, pos + 6);
        while (pos < limit && text[pos] is ' ' or '"' or '\'' or ':' or '=' or '\t')
        {
            pos++;
        }

        int end = Run(text, pos, IsBase64Char, 41);
        return end - pos == 40 ? Add(results, pos, end, "aws_secret_access_key") : -1;
    }

    private static int MatchPem(string text, int start, List<PiiEntity> results)
    {
        int headerEnd = text.IndexOf("-----", start + 11, Math.Min(64, text.Length - start - 11), StringComparison.Ordinal);
        if (headerEnd < 0 || !text.AsSpan(start, headerEnd - start).EndsWith("PRIVATE KEY", StringComparison.Ordinal))
        {
            return -1;
        }

        int searchFrom = headerEnd + 5;
        int count = Math.Min(MaxPemLength, text.Length - searchFrom);
        int footer = text.IndexOf("-----END ", searchFrom, count, StringComparison.Ordinal);
        if (footer < 0)
        {
            return -1;
        }

        int close = text.IndexOf("-----", footer + 9, Math.Min(64, text.Length - footer - 9), StringComparison.Ordinal);
        return close < 0 ? -1 : Add(results, start, close + 5, "private_key");
    }

    private static int MatchJwt(string text, int start, List<PiiEntity> results)
    {
        int headerEnd = Run(text, start, IsKeyChar, 2048);
        if (!TextScan.IsCharAt(text, headerEnd, '.') || headerEnd - start < 10)
        {
            return -1;
        }

        int payloadEnd = Run(text, headerEnd + 1, IsKeyChar, 16_384);
        if (payloadEnd - headerEnd - 1 < 4 || !TextScan.IsCharAt(text, payloadEnd, '.'))
        {
            return -1;
        }

        int signatureEnd = Run(text, payloadEnd + 1, IsKeyChar, 1024);
        if (!HeaderHasAlg(text.AsSpan(start, headerEnd - start)))
        {
            return -1;
        }

        return Add(results, start, signatureEnd, "jwt");
    }

    private static bool HeaderHasAlg(ReadOnlySpan<char> header)
    {
        Span<char> padded = stackalloc char[header.Length + 3];
        int n = 0;
        foreach (char c in header)
        {
            padded[n++] = c switch { '-' => '+', '_' => '/', _ => c };
        }

        while (n % 4 != 0)
        {
            padded[n++] = '=';
        }

        Span<byte> bytes = stackalloc byte[n];
        if (!Convert.TryFromBase64Chars(padded[..n], bytes, out int written))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(bytes[..written]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("alg"u8))
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return false;
    }
}
