using System.Globalization;

namespace Switchyard.Chaos;

/// <summary>One fault as written on the command line: <c>status:500</c>, <c>reset</c>, <c>hang</c>, <c>slow-first-byte:MS</c>, <c>cut:N</c>.</summary>
internal sealed record Fault(FaultKind Kind, int Value, string Name)
{
    public static Fault Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var head = colon < 0 ? text : text[..colon];
        var arg = colon < 0 ? null : text[(colon + 1)..];
        return head switch
        {
            "status" => new Fault(FaultKind.Status, Number(text, arg, 400, 599), text),
            "reset" when arg is null => new Fault(FaultKind.Reset, 0, text),
            "hang" when arg is null => new Fault(FaultKind.Hang, 0, text),
            "slow-first-byte" => new Fault(FaultKind.SlowFirstByte, Number(text, arg, 0, 3_600_000), text),
            "cut" => new Fault(FaultKind.Cut, Number(text, arg, 0, 1000), text),
            _ => throw new ArgumentException($"--fault: unknown fault '{text}' (status:N, reset, hang, slow-first-byte:MS, cut:N)"),
        };
    }

    private static int Number(string text, string? arg, int min, int max) =>
        int.TryParse(arg, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max
            ? n
            : throw new ArgumentException($"--fault: '{text}' needs a whole number from {min} to {max} after ':'");
}
