using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Switchyard.IngestLoad;

/// <summary>
/// Fills a migrated Switchyard data directory with gateway calls spread evenly over the last N days,
/// the way the call writer stores them (ids ascending with time, tags in <c>call_tags</c>), plus
/// feedback scores on a few of them. Deterministic (fixed seed).
/// </summary>
internal static class Seeder
{
    /// <summary>Model groups with relative traffic (skewed: a few groups carry most calls).</summary>
    public static readonly (string Name, string Provider, int Weight)[] Groups =
    [
        ("gpt-4o-mini", "openai", 30), ("gpt-4o", "openai", 20), ("claude-sonnet", "anthropic", 15), ("claude-haiku", "anthropic", 10),
        ("gpt-4.1", "openai", 8), ("gpt-4.1-mini", "openai", 6), ("o3-mini", "openai", 4), ("embeddings", "openai", 4),
        ("azure-gpt-4o", "azure", 2), ("sandbox", "sandbox", 1),
    ];

    public static readonly string[] Tags = ["prod", "staging", "eval", "batch", "agent:support", "agent:sales", "agent:coder", "experiment-a", "experiment-b", "rag", "canary", "nightly", "customer:acme", "customer:globex", "customer:initech", "pii-checked", "v2", "v3", "retry", "priority"];

    public const int Users = 1000;
    public const int Keys = 50;

    public static string User(int i) => $"user-{i:D4}";

    public static int Run(Options o)
    {
        var data = o.String("data");
        var rows = o.Int("rows", 1_000_000);
        var days = o.Double("days", 30);
        var path = Path.Combine(data, "switchyard.db");
        if (!File.Exists(path))
        {
            throw new ArgumentException($"{path} does not exist: start switchyard once with --data {data} to create and migrate it");
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Exec(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
        using (var check = connection.CreateCommand())
        {
            check.CommandText = "SELECT (SELECT MAX(version) FROM schema_version), (SELECT COUNT(*) FROM calls)";
            using var r = check.ExecuteReader();
            r.Read();
            if (r.GetInt64(0) < 2 || r.GetInt64(1) > 0)
            {
                throw new ArgumentException($"{path}: expected schema version ≥ 2 and no calls (version {r.GetInt64(0)}, {r.GetInt64(1)} calls)");
            }
        }

        var random = new Random(42);
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        var span = (long)(days * 86_400_000_000);
        var first = now - span;
        var step = span / rows;
        var weights = Groups.Select(g => g.Weight).ToArray();
        var totalWeight = weights.Sum();
        var clock = Stopwatch.StartNew();
        long tagRows = 0, scoreRows = 0;

        using var insert = Prepare(connection, "calls", ["id", "span_id", "trace_id", "start_time_us", "api", "model_group", "deployment", "provider", "upstream_model", "status", "error_type", "error_message", "stream", "input_tokens", "output_tokens", "cached_tokens", "reasoning_tokens", "usage_reported", "finish_reason", "latency_us", "ttft_us", "key_id", "user_id", "team", "session_id", "tags", "metadata", "cost_nanousd"]);
        using var insertTag = Prepare(connection, "call_tags", ["call_id", "tag", "start_time_us"]);
        using var insertScore = Prepare(connection, "scores", ["trace_id", "name", "data_type", "value", "source", "user_id", "created_us"]);
        const int PerTransaction = 100_000;
        for (var done = 0; done < rows;)
        {
            using var transaction = connection.BeginTransaction();
            insert.Transaction = insertTag.Transaction = insertScore.Transaction = transaction;
            var end = Math.Min(rows, done + PerTransaction);
            for (; done < end; done++)
            {
                var id = done + 1L;
                var start = first + (done * step) + random.NextInt64(step);
                var g = Pick(random, weights, totalWeight);
                var (group, provider, _) = Groups[g];
                var userIndex = Zipf(random, Users);
                var status = random.Next(1000) switch
                {
                    < 950 => 200,
                    < 970 => 429,
                    < 985 => 500,
                    < 995 => 502,
                    _ => 400,
                };
                var stream = random.Next(2) == 1;
                var input = status == 200 ? random.Next(50, 6000) : 0;
                var output = status == 200 ? random.Next(5, 1200) : 0;
                var latency = (long)(Math.Exp(random.NextDouble() * 3 + 5.5) * 1000); // ~250 ms .. 5 s, log-uniform
                var tagged = random.Next(100) < 20;
                string[] tags = tagged ? (random.Next(3) == 0 ? [Tags[Zipf(random, Tags.Length)], Tags[random.Next(Tags.Length)]] : [Tags[Zipf(random, Tags.Length)]]) : [];
                tags = [.. tags.Distinct()];
                var traceId = Hex(random, 16);
                var p = insert.Parameters;
                p[0].Value = id;
                p[1].Value = Hex(random, 8);
                p[2].Value = traceId;
                p[3].Value = start;
                p[4].Value = group == "embeddings" ? "openai.embeddings" : g % 3 == 2 ? "anthropic.messages" : "openai.chat_completions";
                p[5].Value = group;
                p[6].Value = $"{group}-{random.Next(2)}";
                p[7].Value = provider;
                p[8].Value = group + "-2025-01-01";
                p[9].Value = status;
                p[10].Value = status == 200 ? DBNull.Value : status == 429 ? "rate_limit_error" : "upstream_error";
                p[11].Value = status == 200 ? DBNull.Value : $"upstream answered {status}";
                p[12].Value = stream ? 1 : 0;
                p[13].Value = input;
                p[14].Value = output;
                p[15].Value = input / 4;
                p[16].Value = group.StartsWith('o') ? output / 2 : 0;
                p[17].Value = 1;
                p[18].Value = status == 200 ? "stop" : DBNull.Value;
                p[19].Value = latency;
                p[20].Value = stream && status == 200 ? latency / 5 : DBNull.Value;
                p[21].Value = $"key-{Zipf(random, Keys):D2}";
                p[22].Value = User(userIndex);
                p[23].Value = $"team-{userIndex % 8}";
                p[24].Value = random.Next(10) < 3 ? $"session-{random.Next(200_000):D6}" : DBNull.Value;
                p[25].Value = tags.Length > 0 ? "[" + string.Join(',', tags.Select(t => $"\"{t}\"")) + "]" : DBNull.Value;
                p[26].Value = random.Next(10) < 2 ? $"{{\"feature\":\"f{random.Next(20)}\",\"tenant\":\"t{random.Next(100)}\"}}" : DBNull.Value;
                p[27].Value = group == "sandbox" ? 0L : (input * 2500L) + (output * 10000L); // ~$2.50 / $10 per 1M tokens
                insert.ExecuteNonQuery();
                foreach (var tag in tags)
                {
                    insertTag.Parameters[0].Value = id;
                    insertTag.Parameters[1].Value = tag;
                    insertTag.Parameters[2].Value = start;
                    insertTag.ExecuteNonQuery();
                    tagRows++;
                }

                if (random.Next(200) == 0)
                {
                    var s = insertScore.Parameters;
                    s[0].Value = traceId;
                    s[1].Value = "feedback";
                    s[2].Value = "numeric";
                    s[3].Value = random.Next(4) == 0 ? -1.0 : 1.0;
                    s[4].Value = "user";
                    s[5].Value = User(userIndex);
                    s[6].Value = start + 30_000_000;
                    insertScore.ExecuteNonQuery();
                    scoreRows++;
                }
            }

            transaction.Commit();
        }

        var seconds = clock.Elapsed.TotalSeconds;
        Exec(connection, "PRAGMA wal_checkpoint(TRUNCATE);");
        connection.Close();
        SqliteConnection.ClearAllPools();
        var size = new FileInfo(path).Length;
        Console.Error.WriteLine($"[seed] {rows} calls over {days} days, {tagRows} tag rows, {scoreRows} feedback scores in {seconds:F1} s ({rows / seconds:F0} calls/s); file {size / 1048576.0:F0} MiB");
        Console.WriteLine(FormattableString.Invariant($"RESULT mode=seed rows={rows} days={days} tag_rows={tagRows} scores={scoreRows} seconds={seconds:F1} rows_per_s={rows / seconds:F0} file_mib={size / 1048576.0:F0}"));
        return 0;
    }

    /// <summary>EXPLAIN QUERY PLAN for the shapes TraceStore.List and TraceAggregates.Write build (src/Switchyard.Core/Tracing).</summary>
    public static int Explain(Options o)
    {
        var path = Path.Combine(o.String("data"), "switchyard.db");
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        const string List = "SELECT id, start_time_us FROM calls c {0} ORDER BY c.start_time_us DESC, c.id DESC LIMIT 51";
        const string Agg = "SELECT c.start_time_us, {1}, c.status, c.input_tokens, c.output_tokens, c.cached_tokens, c.reasoning_tokens, c.cost_nanousd, c.latency_us, c.ttft_us FROM calls c WHERE c.start_time_us >= 1 AND c.start_time_us < 2{0}";
        const string Feedback = "SELECT c.start_time_us, NULL, s.value FROM scores s JOIN calls c ON c.trace_id = s.trace_id WHERE s.name = 'feedback' AND c.start_time_us >= 1 AND c.start_time_us < 2";
        (string Name, string Sql)[] shapes =
        [
            ("list unfiltered", string.Format(null, List, "")),
            ("list model", string.Format(null, List, "WHERE c.model_group = 'gpt-4o'")),
            ("list user", string.Format(null, List, "WHERE c.user_id = 'user-0500'")),
            ("list tag", string.Format(null, List, "WHERE c.id IN (SELECT call_id FROM call_tags WHERE tag = 'rag')")),
            ("list status=error", string.Format(null, List, "WHERE c.status >= 400")),
            ("list key", string.Format(null, List, "WHERE c.key_id = 'key-10'")),
            ("summary 1 day", string.Format(null, Agg, "", "NULL")),
            ("summary 1 day, model", string.Format(null, Agg, " AND c.model_group = 'gpt-4o'", "c.model_group")),
            ("feedback join", Feedback),
        ];
        foreach (var (name, sql) in shapes)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            using var r = command.ExecuteReader();
            var plan = new List<string>();
            while (r.Read())
            {
                plan.Add(r.GetString(3));
            }

            Console.WriteLine($"{name}: {string.Join(" | ", plan)}");
        }

        return 0;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string table, string[] columns)
    {
        var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "$" + c))})";
        foreach (var c in columns)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$" + c });
        }

        command.Prepare();
        return command;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static int Pick(Random random, int[] weights, int total)
    {
        var x = random.Next(total);
        for (var i = 0; i < weights.Length; i++)
        {
            if ((x -= weights[i]) < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>Skewed index in [0, n): a few values are frequent, most are rare (≈ Zipf, s≈1).</summary>
    public static int Zipf(Random random, int n) => Math.Min(n - 1, (int)Math.Floor(Math.Exp(random.NextDouble() * Math.Log(n + 1))) - 1);

    private static string Hex(Random random, int bytes)
    {
        Span<byte> b = stackalloc byte[16];
        random.NextBytes(b[..bytes]);
        return Convert.ToHexStringLower(b[..bytes]);
    }
}
