using System.Text;
using Xunit;

namespace Switchyard.Tests.Providers.Sandbox;

/// <summary>Reads server-sent events one at a time, as a relay would, so tests can watch their timing.</summary>
internal sealed class SseReader
{
    private readonly Stream _stream;
    private readonly StringBuilder _buffer = new();
    private readonly byte[] _chunk = new byte[4096];
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    public SseReader(Stream stream) => _stream = stream;

    /// <summary>The next event, or null at the end of the stream.</summary>
    public async Task<string?> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            string text = _buffer.ToString();
            int end = text.IndexOf("\n\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                _buffer.Remove(0, end + 2);
                return text[..end];
            }

            int read = await _stream.ReadAsync(_chunk, cancellationToken);
            if (read == 0)
            {
                Assert.Equal(0, _buffer.Length);
                return null;
            }

            char[] chars = new char[_decoder.GetCharCount(_chunk, 0, read)];
            _decoder.GetChars(_chunk, 0, read, chars, 0);
            _buffer.Append(chars);
        }
    }
}
