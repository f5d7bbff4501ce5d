using System.Text.Json;

namespace Switchyard.Guardrails;

/// <summary>
/// A call's verdicts as stored with its record and shown on its trace: guard, direction, outcome, action,
/// score, timing, and findings as entity types and positions, never the values.
/// </summary>
internal static class GuardrailJson
{
    public static string? Of(GuardrailReport? report)
    {
        var verdicts = report?.Snapshot();
        if (verdicts is not { Length: > 0 })
        {
            return null;
        }

        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            Write(json, verdicts);
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static void Write(Utf8JsonWriter json, IReadOnlyList<GuardVerdict> verdicts)
    {
        json.WriteStartArray();
        foreach (var verdict in verdicts)
        {
            Write(json, verdict);
        }

        json.WriteEndArray();
    }

    public static void Write(Utf8JsonWriter json, GuardVerdict verdict)
    {
        json.WriteStartObject();
        json.WriteString("guard", verdict.Guard);
        json.WriteString("type", verdict.Type.ToString().ToLowerInvariant());
        json.WriteString("direction", verdict.Direction == GuardDirection.Input ? "input" : "output");
        json.WriteString("verdict", verdict.Error is not null ? "error" : verdict.Fired ? "fired" : "pass");
        json.WriteString("action", verdict.Action);
        if (verdict.Score is { } score)
        {
            json.WriteNumber("score", Math.Round(score, 4));
        }

        json.WriteNumber("latency_ms", Math.Round(verdict.Latency.TotalMilliseconds, 3));
        json.WriteNumber("offset_ms", Math.Round(verdict.Offset.TotalMilliseconds, 3));
        if (verdict.Deferred)
        {
            json.WriteBoolean("deferred", true);
        }

        if (verdict.Error is { } error)
        {
            json.WriteString("error", error);
        }

        if (verdict.Signals.Count > 0)
        {
            json.WriteStartArray("signals");
            foreach (var signal in verdict.Signals)
            {
                json.WriteStringValue(signal);
            }

            json.WriteEndArray();
        }

        if (verdict.Findings.Count > 0)
        {
            json.WriteStartArray("findings");
            foreach (var finding in verdict.Findings)
            {
                json.WriteStartObject();
                json.WriteString("type", finding.Type);
                if (finding.Text >= 0)
                {
                    json.WriteNumber("text", finding.Text);
                    json.WriteNumber("start", finding.Start);
                    json.WriteNumber("end", finding.Start + finding.Length);
                }

                json.WriteString("action", finding.Action.ToString().ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }
}
