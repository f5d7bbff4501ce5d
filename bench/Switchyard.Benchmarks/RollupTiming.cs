namespace Switchyard.Benchmarks;

internal static class RollupTiming
{
    public static void Run(string dataDirectory)
    {
        var database = new Switchyard.Storage.SqliteDatabase(dataDirectory);
        var minutes = new Switchyard.Tracing.MinuteRollups(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<Switchyard.Tracing.MinuteRollups>.Instance);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var from = now - (7 * 86_400_000_000L);
        for (var round = 0; round < 3; round++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            using (var c = database.Open())
            using (var cmd = c.CreateCommand())
            {
                cmd.CommandText = "SELECT minute_us, stats FROM call_minutes WHERE minute_us >= $from AND minute_us < $to";
                cmd.Parameters.AddWithValue("$from", from);
                cmd.Parameters.AddWithValue("$to", now);
                using var r = cmd.ExecuteReader();
                var n = 0;
                long total = 0;
                while (r.Read()) { n++; total += ((byte[])r.GetValue(1)).Length; }
                Console.Write($"getvalue {n} {sw.Elapsed.TotalMilliseconds:F0} ms; ");
            }

            sw.Restart();
            var stats = new Switchyard.Tracing.MinuteStats();
            var rows = 0;
            minutes.Read(from, now, null, (_, bytes) => { rows++; stats.MergeSerialized(bytes); });
            Console.WriteLine($"read+merge {rows} {sw.Elapsed.TotalMilliseconds:F0} ms");
        }
    }
}
