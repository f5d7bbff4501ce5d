using Switchyard.Prompts;

namespace Switchyard.Storage.Sqlite;

/// <summary>Variant calls from the calls table (through its prompt index), with their scores joined by trace.</summary>
internal sealed class SqlitePromptCallSamples(SqliteDatabase database) : IPromptCallSamples
{
    /// <summary>The most calls read per query: figures over more would not change a verdict, and the read stays bounded.</summary>
    public const int MaxCalls = 200_000;

    public async Task<IReadOnlyList<Prompts.Experiments.ExperimentSample>> ReadAsync(string prompt, string label, DateTimeOffset since, DateTimeOffset? until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var calls = new List<(string Trace, string Variant, bool Error, double Latency, double? Ttft, long Tokens, long? Cost)>();
        var sinceUs = since.ToUnixTimeMilliseconds() * 1000;
        var untilUs = until is { } end ? end.ToUnixTimeMilliseconds() * 1000 : long.MaxValue;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT trace_id, prompt_variant, status, latency_us, ttft_us, input_tokens + output_tokens, cost_nanousd
                FROM calls
                WHERE prompt_name = $prompt AND start_time_us >= $since AND start_time_us < $until AND prompt_label = $label AND prompt_variant IS NOT NULL
                ORDER BY start_time_us LIMIT $max
                """;
            command.Parameters.AddWithValue("$prompt", prompt);
            command.Parameters.AddWithValue("$label", label);
            command.Parameters.AddWithValue("$since", sinceUs);
            command.Parameters.AddWithValue("$until", untilUs);
            command.Parameters.AddWithValue("$max", MaxCalls);
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                calls.Add((r.GetString(0), r.GetString(1), r.GetInt32(2) >= 400, r.GetInt64(3) / 1000.0, r.IsDBNull(4) ? null : r.GetInt64(4) / 1000.0, r.GetInt64(5), r.IsDBNull(6) ? null : r.GetInt64(6)));
            }
        }

        // Scores arrive after their call; only those of the calls read are wanted (name → sum, count per trace).
        var scores = new Dictionary<string, Dictionary<string, (double Sum, int Count)>>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT s.trace_id, s.name, s.value FROM scores s
                WHERE s.created_us >= $since AND s.value IS NOT NULL AND s.trace_id IN (
                    SELECT trace_id FROM calls WHERE prompt_name = $prompt AND start_time_us >= $since AND start_time_us < $until AND prompt_label = $label AND prompt_variant IS NOT NULL)
                """;
            command.Parameters.AddWithValue("$prompt", prompt);
            command.Parameters.AddWithValue("$label", label);
            command.Parameters.AddWithValue("$since", sinceUs);
            command.Parameters.AddWithValue("$until", untilUs);
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var byName = scores.TryGetValue(r.GetString(0), out var own) ? own : scores[r.GetString(0)] = new(StringComparer.Ordinal);
                var (sum, count) = byName.GetValueOrDefault(r.GetString(1));
                byName[r.GetString(1)] = (sum + r.GetDouble(2), count + 1);
            }
        }

        var samples = new List<Prompts.Experiments.ExperimentSample>(calls.Count);
        foreach (var c in calls)
        {
            bool? feedback = null;
            Dictionary<string, double>? named = null;
            if (scores.TryGetValue(c.Trace, out var byName))
            {
                foreach (var (name, (sum, count)) in byName)
                {
                    if (name == "feedback")
                    {
                        feedback = sum / count > 0;
                    }
                    else
                    {
                        (named ??= new(StringComparer.Ordinal))[name] = sum / count;
                    }
                }
            }

            samples.Add(new Prompts.Experiments.ExperimentSample(c.Variant, c.Error, c.Latency, c.Ttft, c.Tokens, c.Cost, feedback, named));
        }

        return samples;
    }
}
