using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Limits;
using Switchyard.Storage;

namespace Switchyard.Spend;

/// <summary>Reads the spend ledger: reports for <c>/api/spend</c>, and a subject's spend in a budget window.</summary>
internal sealed class SpendStore(SqliteDatabase database)
{
    /// <summary>Cost of a key's, user's or team's calls on or after <paramref name="firstDay"/> (local days).</summary>
    public long SpentSince(SubjectKind kind, string id, DateOnly firstDay)
    {
        var column = kind switch
        {
            SubjectKind.Key => "key_id",
            SubjectKind.User => "user_id",
            SubjectKind.Team => "team_id",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only keys, users and teams have budgets."),
        };
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COALESCE(SUM(cost_nanousd), 0) FROM spend WHERE {column} = $id AND day >= $day";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$day", Day(firstDay));
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Most rows a report returns; <c>truncated</c> says when there were more. Totals always cover every matching row.</summary>
    public const int MaxRows = 10_000;

    /// <summary>Writes <c>{"group_by":[…],"data":[{…dimensions, requests, input_tokens, output_tokens, cost_usd}],"total":{…},"truncated":false}</c>, costliest first.</summary>
    public void Report(SpendQuery query, Utf8JsonWriter json)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
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
            LIMIT {MaxRows + 1}
            """;
        json.WriteStartObject();
        json.WriteStartArray("group_by");
        foreach (var d in query.GroupBy)
        {
            json.WriteStringValue(d);
        }

        json.WriteEndArray();
        json.WriteStartArray("data");
        var rows = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read() && ++rows <= MaxRows)
            {
                var n = columns.Length;
                if (reader.IsDBNull(n))
                {
                    continue; // No rows matched: SUM over nothing.
                }

                json.WriteStartObject();
                for (var i = 0; i < n; i++)
                {
                    var value = reader.GetString(i);
                    if (value.Length == 0)
                    {
                        json.WriteNull(query.GroupBy[i]); // No key, user or team (anonymous or admin calls).
                    }
                    else
                    {
                        json.WriteString(query.GroupBy[i], value);
                    }
                }

                var (r, inTok, outTok, c) = (reader.GetInt64(n), reader.GetInt64(n + 1), reader.GetInt64(n + 2), reader.GetInt64(n + 3));
                WriteTotals(json, r, inTok, outTok, c);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
        command.CommandText = $"SELECT COALESCE(SUM(requests), 0), COALESCE(SUM(input_tokens), 0), COALESCE(SUM(output_tokens), 0), COALESCE(SUM(cost_nanousd), 0) FROM spend {where}";
        using (var totals = command.ExecuteReader())
        {
            totals.Read();
            json.WriteStartObject("total");
            WriteTotals(json, totals.GetInt64(0), totals.GetInt64(1), totals.GetInt64(2), totals.GetInt64(3));
            json.WriteEndObject();
        }

        json.WriteBoolean("truncated", rows > MaxRows);
        json.WriteEndObject();
    }

    public static string Usd(long nano) => (nano / 1_000_000_000m).ToString(CultureInfo.InvariantCulture);

    private static void WriteTotals(Utf8JsonWriter json, long requests, long input, long output, long cost)
    {
        json.WriteNumber("requests", requests);
        json.WriteNumber("input_tokens", input);
        json.WriteNumber("output_tokens", output);
        json.WriteString("cost_usd", Usd(cost));
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
