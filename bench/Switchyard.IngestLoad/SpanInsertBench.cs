using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Switchyard.IngestLoad;

/// <summary>
/// The span writer's SQLite work alone (src/Switchyard.Core/Telemetry/SpanWriter.cs: one prepared
/// 22-column INSERT, 5,000 spans per transaction, WAL, synchronous=NORMAL) on the synthetic spans the
/// ingest mode sends, to separate the store's cost from HTTP and OTLP decoding. Reports wall and
/// thread CPU time per span, so a busy machine shows up as the gap between the two.
/// </summary>
internal static class SpanInsertBench
{
    public static int Run(Options o)
    {
        var data = o.String("data");
        var total = o.Int("spans", 100_000);
        var perTransaction = o.Int("batch", 5_000);
        // --pragma "PRAGMA wal_autocheckpoint=0;" and the like, to try settings the shipped writer does not use.
        var path = Path.Combine(data, "switchyard.db");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path} does not exist: start switchyard once with --data {data} to create and migrate it");
        }

        var spans = Traces.Build(perTransaction, 7, DateTimeOffset.UtcNow);
        var attributes = spans.Select(s => JsonSerializer.Serialize(s.Attributes.ToDictionary(kv => kv.Key, kv => kv.Value))).ToArray();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON; PRAGMA cache_size=-16000;" + (o.Optional("pragma") is { } extra ? " " + extra : "");
            pragma.ExecuteNonQuery();
        }

        string[] columns = ["trace_id", "span_id", "parent_span_id", "name", "kind", "type", "service", "start_time_us", "end_time_us", "status_code", "status_message", "model", "provider", "input_tokens", "output_tokens", "cost_nanousd", "user_id", "session_id", "input", "output", "attributes", "events"];
        using var insert = connection.CreateCommand();
        insert.CommandText = $"INSERT INTO spans ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        foreach (var c in columns)
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = "$" + c });
        }

        insert.Prepare();
        var random = new Random(3);
        var wall = Stopwatch.StartNew();
        var cpuStart = ThreadCpu();
        var commitTicks = 0L;
        for (var written = 0; written < total;)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = transaction;
            for (var i = 0; i < perTransaction && written < total; i++, written++)
            {
                var s = spans[i];
                var a = s.Attributes.ToDictionary(kv => kv.Key, kv => kv.Value);
                var p = insert.Parameters;
                p[0].Value = Convert.ToHexStringLower(Traces.RandomBytes(random, 16)); // new trace ids: random inserts into ix_spans_trace
                p[1].Value = Convert.ToHexStringLower(s.SpanId);
                p[2].Value = s.ParentSpanId is { } parent ? Convert.ToHexStringLower(parent) : DBNull.Value;
                p[3].Value = s.Name;
                p[4].Value = s.Kind;
                p[5].Value = a.ContainsKey("gen_ai.usage.input_tokens") ? "generation" : "span";
                p[6].Value = "support-agent";
                p[7].Value = (long)(s.StartNano / 1000);
                p[8].Value = (long)(s.EndNano / 1000);
                p[9].Value = s.StatusCode;
                p[10].Value = DBNull.Value;
                p[11].Value = a.TryGetValue("gen_ai.request.model", out var m) ? m : DBNull.Value;
                p[12].Value = a.TryGetValue("gen_ai.provider.name", out var pr) ? pr : DBNull.Value;
                p[13].Value = a.TryGetValue("gen_ai.usage.input_tokens", out var it) ? it : DBNull.Value;
                p[14].Value = a.TryGetValue("gen_ai.usage.output_tokens", out var ot) ? ot : DBNull.Value;
                p[15].Value = DBNull.Value;
                p[16].Value = a.TryGetValue("user.id", out var u) ? u : DBNull.Value;
                p[17].Value = a.TryGetValue("session.id", out var se) ? se : DBNull.Value;
                p[18].Value = a.TryGetValue("gen_ai.input.messages", out var inp) ? inp : DBNull.Value;
                p[19].Value = a.TryGetValue("gen_ai.output.messages", out var outp) ? outp : DBNull.Value;
                p[20].Value = attributes[i];
                p[21].Value = DBNull.Value;
                insert.ExecuteNonQuery();
            }

            var c0 = Stopwatch.GetTimestamp();
            transaction.Commit();
            commitTicks += Stopwatch.GetTimestamp() - c0;
        }

        var seconds = wall.Elapsed.TotalSeconds;
        var cpuUs = (ThreadCpu() - cpuStart).TotalMicroseconds;
        var commitMs = commitTicks * 1000.0 / Stopwatch.Frequency;
        Console.Error.WriteLine($"[spaninsert] {total} spans in {perTransaction}-span transactions: {seconds:F2} s wall ({total / seconds:F0} spans/s), thread CPU {cpuUs / total:F1} us/span (=> {1e6 / (cpuUs / total):F0} spans/s per core), commits {commitMs:F0} ms");
        Console.WriteLine(FormattableString.Invariant($"RESULT mode=spaninsert spans={total} batch={perTransaction} wall_s={seconds:F2} spans_per_s={total / seconds:F0} cpu_us_per_span={cpuUs / total:F1} commit_ms={commitMs:F0}"));
        return 0;
    }

    /// <summary>CPU time of the calling thread (Linux: /proc/thread-self/stat, clock ticks of 10 ms).</summary>
    private static TimeSpan ThreadCpu()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}
