using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Switchyard.Limits;
using Switchyard.Spend;

namespace Switchyard.Storage.Sqlite;

/// <summary>The spend ledger in the <c>spend</c> table, one row per day, key, user, team and model group.</summary>
internal sealed class SqliteSpendStore(SqliteDatabase database) : ISpendStore
{
    public async Task AddAsync(IReadOnlyCollection<SpendDelta> deltas, CancellationToken cancellationToken)
    {
        if (deltas.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = transaction;
        // Adding in the statement (not read, add, write back) is what lets several writers share a row.
        upsert.CommandText = """
            INSERT INTO spend (day, key_id, user_id, team_id, model_group, requests, input_tokens, output_tokens, cost_nanousd)
            VALUES ($day, $key, $user, $team, $group, $requests, $input, $output, $cost)
            ON CONFLICT (day, key_id, user_id, team_id, model_group) DO UPDATE SET
                requests = requests + excluded.requests, input_tokens = input_tokens + excluded.input_tokens,
                output_tokens = output_tokens + excluded.output_tokens, cost_nanousd = cost_nanousd + excluded.cost_nanousd
            """;
        foreach (var name in new[] { "$day", "$key", "$user", "$team", "$group", "$requests", "$input", "$output", "$cost" })
        {
            upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        var p = upsert.Parameters;
        foreach (var delta in deltas)
        {
            p[0].Value = Day(delta.Day);
            p[1].Value = delta.KeyId;
            p[2].Value = delta.UserId;
            p[3].Value = delta.TeamId;
            p[4].Value = delta.ModelGroup;
            p[5].Value = delta.Figures.Requests;
            p[6].Value = delta.Figures.InputTokens;
            p[7].Value = delta.Figures.OutputTokens;
            p[8].Value = delta.Figures.CostNanoUsd;
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> SpentSinceAsync(SubjectKind kind, string id, DateOnly firstDay, CancellationToken cancellationToken)
    {
        var column = kind switch
        {
            SubjectKind.Key => "key_id",
            SubjectKind.User => "user_id",
            SubjectKind.Team => "team_id",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only keys, users and teams have budgets."),
        };
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(SUM(cost_nanousd), 0) FROM spend WHERE {column} = $id AND day >= $day";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$day", Day(firstDay));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<SpendReport> ReportAsync(SpendQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new StringBuilder("WHERE 1 = 1");
        void Filter(string? value, string column, string name)
        {
            if (value is not null)
            {
                where.Append(CultureInfo.InvariantCulture, $" AND {column} = {name}");
                command.Parameters.AddWithValue(name, value);
            }
        }

        Filter(query.Key, "key_id", "$key");
        Filter(query.User, "user_id", "$user");
        Filter(query.Team, "team_id", "$team");
        if (query.ScopeTeam is { } scope && scope != query.Team)
        {
            Filter(scope, "team_id", "$scopeTeam");
        }

        Filter(query.Model, "model_group", "$model");
        if (query.From is { } from)
        {
            where.Append(" AND day >= $from");
            command.Parameters.AddWithValue("$from", Day(from));
        }

        if (query.To is { } to)
        {
            where.Append(" AND day <= $to");
            command.Parameters.AddWithValue("$to", Day(to));
        }

        var columns = query.GroupBy.Select(d => SpendQuery.Dimensions[d]).ToArray();
        var select = columns.Length == 0 ? "" : string.Join(", ", columns) + ", ";
        var groupBy = columns.Length == 0 ? "" : "GROUP BY " + string.Join(", ", columns);
        command.CommandText = $"""
            SELECT {select}SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cost_nanousd)
            FROM spend {where} {groupBy}
            ORDER BY SUM(cost_nanousd) DESC{(columns.Length == 0 ? "" : ", " + string.Join(", ", columns))}
            LIMIT {SpendReport.MaxRows + 1}
            """;
        var rows = new List<SpendReportRow>();
        var seen = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken) && ++seen <= SpendReport.MaxRows)
            {
                var n = columns.Length;
                if (reader.IsDBNull(n))
                {
                    continue; // No rows matched: SUM over nothing.
                }

                var dimensions = new string?[n];
                for (var i = 0; i < n; i++)
                {
                    var value = reader.GetString(i);
                    dimensions[i] = value.Length == 0 ? null : value;
                }

                rows.Add(new SpendReportRow(dimensions, new SpendFigures(reader.GetInt64(n), reader.GetInt64(n + 1), reader.GetInt64(n + 2), reader.GetInt64(n + 3))));
            }
        }

        command.CommandText = $"SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cost_nanousd), 0) FROM spend {where}";
        await using var totals = await command.ExecuteReaderAsync(cancellationToken);
        await totals.ReadAsync(cancellationToken);
        var total = new SpendFigures(totals.GetInt64(0), totals.GetInt64(1), totals.GetInt64(2), totals.GetInt64(3));
        return new SpendReport(query.GroupBy, rows, total, seen > SpendReport.MaxRows);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
