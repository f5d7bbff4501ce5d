using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchyard.Storage;

namespace Switchyard.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Switchyard.Benchmarks -- seed-traces DATA_DIR [CALLS] [DAYS]</c>:
/// fills a Switchyard data directory with CALLS recorded calls (default 1,000,000) spread evenly over the
/// last DAYS days (default 7): three model groups, ten keys, two teams, 2 % errors, a third of them cache
/// lookups, latencies and tokens drawn from skewed distributions. For measuring the dashboard and the
/// trace API on a large store (<c>bench/dashboard.sh</c>).
/// </summary>
internal static class SeedTraces
{
    public static void Run(string dataDirectory, int calls, int days)
    {
        Directory.CreateDirectory(dataDirectory);
        var database = new SqliteDatabase(dataDirectory);
        database.Migrate();
        var started = Stopwatch.StartNew();
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var span = (long)TimeSpan.FromDays(days).TotalMicroseconds;
        string[] groups = ["gpt-4o", "claude-sonnet", "gpt-4o-mini"];
        using var connection = database.Open();
        const int Batch = 50_000;
        for (var done = 0; done < calls; done += Batch)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO calls (span_id, trace_id, start_time_us, api, model_group, deployment, provider, upstream_model, status, error_type, stream,
                                   input_tokens, output_tokens, usage_reported, finish_reason, latency_us, ttft_us, key_id, user_id, team, cost_nanousd, cache, cost_saved_nanousd)
                VALUES ($span, $trace, $start, 'chat.completions', $group, $deployment, 'openai', $group, $status, $error, $stream,
                        $input, $output, 1, 'stop', $latency, $ttft, $key, $user, $team, $cost, $cache, $saved)
                """;
            var p = new Dictionary<string, SqliteParameter>();
            foreach (var name in (string[])["$span", "$trace", "$start", "$group", "$deployment", "$status", "$error", "$stream", "$input", "$output", "$latency", "$ttft", "$key", "$user", "$team", "$cost", "$cache", "$saved"])
            {
                p[name] = command.Parameters.Add(name, SqliteType.Text);
            }

            for (var i = done; i < Math.Min(calls, done + Batch); i++)
            {
                var group = groups[random.Next(groups.Length)];
                var failed = random.NextDouble() < 0.02;
                var stream = random.Next(2);
                var input = (long)(50 + (random.NextDouble() * random.NextDouble() * 4000));
                var output = failed ? 0 : (long)(10 + (random.NextDouble() * random.NextDouble() * 800));
                var latency = (long)(200_000 + (Math.Exp(random.NextDouble() * 3) * 300_000));
                var cache = random.Next(3) == 0 ? (random.Next(4) == 0 ? "hit" : "miss") : null;
                var cost = (input * 2_500) + (output * 10_000);
                p["$span"].Value = i.ToString("x16", CultureInfo.InvariantCulture);
                p["$trace"].Value = ((long)i * 7919).ToString("x32", CultureInfo.InvariantCulture);
                p["$start"].Value = now - span + (span / calls * i);
                p["$group"].Value = group;
                p["$deployment"].Value = group + "-" + (random.Next(2) == 0 ? "a" : "b");
                p["$status"].Value = failed ? 502 : 200;
                p["$error"].Value = failed ? "upstream_error" : DBNull.Value;
                p["$stream"].Value = stream;
                p["$input"].Value = input;
                p["$output"].Value = output;
                p["$latency"].Value = latency;
                p["$ttft"].Value = stream == 1 ? latency / 4 : DBNull.Value;
                p["$key"].Value = "key_" + random.Next(10);
                p["$user"].Value = "user-" + random.Next(100);
                p["$team"].Value = "team-" + random.Next(2);
                p["$cost"].Value = cache == "hit" ? 0 : cost;
                p["$cache"].Value = (object?)cache ?? DBNull.Value;
                p["$saved"].Value = cache == "hit" ? cost : DBNull.Value;
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {calls:N0} calls over {days} days into {dataDirectory} in {started.Elapsed.TotalSeconds:F1} s"));
    }
}
