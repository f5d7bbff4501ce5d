namespace Switchyard.Cli.Commands;

/// <summary>Columns sized to their widest cell, for lists people read in a terminal; numbers align right.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];
    private readonly HashSet<int> _right = [];

    public int Count => _rows.Count;

    public TextTable AlignRight(params int[] columns)
    {
        _right.UnionWith(columns);
        return this;
    }

    public void Add(params string[] cells) => _rows.Add(cells);

    public async Task WriteAsync(TextWriter writer)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in _rows.Prepend(headers))
        {
            var cells = row.Select((cell, i) => _right.Contains(i) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            await writer.WriteLineAsync(string.Join("  ", cells).TrimEnd()).ConfigureAwait(false);
        }
    }
}
