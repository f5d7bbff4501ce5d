using System.Net;
using System.Net.Sockets;

namespace Switchyard.Guardrails.Pii;

/// <summary>
/// IPv4 addresses (four decimal octets of 0-255, not part of a longer dotted run and not after a word such as
/// "version") and IPv6 addresses (runs of hex digits and colons with at least two colons that
/// <see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/> accepts as IPv6, with an optional
/// "%zone"). MAC addresses, times and ratios fail the parse and are not reported.
/// </summary>
internal sealed class IpAddressRecognizer : IPiiRecognizer
{
    private static readonly string[] s_versionWords = ["version", "ver.", "ver ", "release", "build", "firmware", "v."];

    // A candidate longer than the longest IPv6 text form (45 characters) plus slack cannot be an address.
    private const int MaxV6Run = 64;

    public IReadOnlyList<string> Types { get; } = [PiiTypes.IpAddress];

    public void Find(string text, List<PiiEntity> results)
    {
        FindV4(text, results);
        FindV6(text, results);
    }

    private static void FindV4(string text, List<PiiEntity> results)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (!TextScan.IsAsciiDigit(text[i]) || (i > 0 && (TextScan.IsAsciiDigit(text[i - 1]) || text[i - 1] == '.' || char.IsLetter(text[i - 1]))))
            {
                continue;
            }

            int pos = i;
            int octets = 0;
            bool valid = true;
            while (true)
            {
                int s = pos;
                int value = 0;
                while (pos < text.Length && TextScan.IsAsciiDigit(text[pos]) && pos - s < 4)
                {
                    value = value * 10 + (text[pos] - '0');
                    pos++;
                }

                int len = pos - s;
                if (len is 0 or > 3 || value > 255 || (len > 1 && text[s] == '0'))
                {
                    valid = false;
                }

                octets++;
                if (octets < 4 && TextScan.IsCharAt(text, pos, '.') && TextScan.IsDigitAt(text, pos + 1))
                {
                    pos++;
                    continue;
                }

                break;
            }

            bool glued = TextScan.IsDigitAt(text, pos) || char.IsLetter(pos < text.Length ? text[pos] : ' ')
                || (TextScan.IsCharAt(text, pos, '.') && TextScan.IsDigitAt(text, pos + 1));
            if (valid && octets == 4 && !glued && !TextScan.HasContextBefore(text, i, 12, s_versionWords)
                && !(i > 0 && text[i - 1] is 'v' or 'V'))
            {
                results.Add(new PiiEntity(PiiTypes.IpAddress, i, pos - i, 0.9));
            }

            i = pos;
        }
    }

    private static bool IsV6Char(char c) => char.IsAsciiHexDigit(c) || c is ':' or '.';

    private static void FindV6(string text, List<PiiEntity> results)
    {
        int colon = text.IndexOf(':');
        while (colon >= 0)
        {
            int start = colon;
            while (start > 0 && IsV6Char(text[start - 1]) && colon - start < MaxV6Run)
            {
                start--;
            }

            int end = colon;
            while (end < text.Length && IsV6Char(text[end]) && end - start < MaxV6Run)
            {
                end++;
            }

            // Past this colon at least, even when the run was cut at MaxV6Run before reaching it.
            int next = Math.Max(end, colon + 1);
            // A trailing full stop or a port's colon after "]" is punctuation, not part of the address.
            while (end > start && text[end - 1] == '.')
            {
                end--;
            }

            ReadOnlySpan<char> run = text.AsSpan(start, end - start);
            bool gluedBefore = start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] == '_');
            // Runs holding dots carry an embedded IPv4 address, which FindV4 reports on its own.
            // Without a decimal digit a run is more likely code ("a::b") than an address.
            if (!gluedBefore && !TextScan.IsWordCharAt(text, end) && run.Count(':') >= 2 && !run.Contains('.')
                && run.IndexOfAnyInRange('0', '9') >= 0
                && IPAddress.TryParse(run, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                int stop = end;
                if (TextScan.IsCharAt(text, stop, '%') && char.IsAsciiLetterOrDigit(stop + 1 < text.Length ? text[stop + 1] : ' '))
                {
                    stop++;
                    while (stop < text.Length && stop - end < 16 && (char.IsAsciiLetterOrDigit(text[stop]) || text[stop] is '.' or '_' or '-'))
                    {
                        stop++;
                    }
                }

                results.Add(new PiiEntity(PiiTypes.IpAddress, start, stop - start, 0.9));
            }

            colon = next < text.Length ? text.IndexOf(':', next) : -1;
        }
    }
}
