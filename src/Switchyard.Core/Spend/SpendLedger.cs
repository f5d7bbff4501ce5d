using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage;

namespace Switchyard.Spend;

/// <summary>
/// The durable record of spend: every routed call adds its tokens and cost to a row per local day
/// (in <c>limits.budget_time_zone</c>), key, owner user, team and model group. Calls are queued without
/// blocking and summed on a dedicated thread, which upserts a batch once a second over one connection
/// kept open (each write competes with the call recorder for SQLite's write lock). Unlike call
/// records, nothing here is ever dropped: the queue is unbounded (an entry is a few dozen bytes and
/// the writer merges them faster than calls arrive), and a failed write is retried.
/// </summary>
internal sealed partial class SpendLedger(SqliteDatabase database, SwitchyardOptions options, ILogger<SpendLedger> logger) : DedicatedWriter("switchyard-spend-writer")
{
    private static readonly TimeSpan s_pace = TimeSpan.FromSeconds(1);

    private readonly Channel<SpendEntry> _queue = Channel.CreateUnbounded<SpendEntry>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeZoneInfo _zone = options.Limits.BudgetTimeZone;
    private readonly ManualResetEventSlim _flushRequested = new();
    private long _pending;

    /// <summary>Calls added but not yet committed.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    public TimeZoneInfo Zone => _zone;

    public DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time, _zone).DateTime);

    /// <summary>Adds a call that reached a deployment. Never blocks.</summary>
    public void Add(CallContext call)
    {
        if (call.Deployment is null || call.Group is null)
        {
            return;
        }

        var caller = call.Caller;
        var entry = new SpendEntry(DayOf(call.StartTime), caller.KeyId ?? "", caller.Owner?.Id ?? "", caller.TeamId ?? "", call.Group.Name, call.Usage.InputTokens, call.Usage.OutputTokens, call.CostNanoUsd ?? 0);
        if (_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _pending);
        }
    }

    /// <summary>Waits until everything added so far is committed (tests, and reads that must see the latest spend).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (Pending > 0)
        {
            _flushRequested.Set();
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override void CompleteQueue() => _queue.Writer.TryComplete();

    protected override void OnCrashed(Exception exception) => Log.WriterCrashed(logger, exception);

    protected override void Drain()
    {
        using var connection = database.Open();
        using var upsert = connection.CreateCommand();
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

        upsert.Prepare();
        var totals = new Dictionary<SpendRow, SpendTotals>();
        var reader = _queue.Reader;
        long merged = 0;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult() || totals.Count > 0)
        {
            if (!Stopping)
            {
                _flushRequested.Wait(s_pace);
                _flushRequested.Reset();
            }

            while (reader.TryRead(out var entry))
            {
                var row = new SpendRow(entry.Day, entry.KeyId, entry.UserId, entry.TeamId, entry.ModelGroup);
                totals[row] = totals.GetValueOrDefault(row).Add(entry);
                merged++;
            }

            if (Write(connection, upsert, totals))
            {
                totals.Clear();
                Interlocked.Add(ref _pending, -merged);
                merged = 0;
            }
            else if (Stopping)
            {
                return; // The store is failing while we stop: logged; nothing more can be done.
            }
            else
            {
                Thread.Sleep(TimeSpan.FromSeconds(1));
            }
        }
    }

    private bool Write(SqliteConnection connection, SqliteCommand upsert, Dictionary<SpendRow, SpendTotals> totals)
    {
        if (totals.Count == 0)
        {
            return true;
        }

        try
        {
            using var transaction = connection.BeginTransaction();
            upsert.Transaction = transaction;
            var p = upsert.Parameters;
            foreach (var (row, sum) in totals)
            {
                p[0].Value = row.Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
                p[1].Value = row.KeyId;
                p[2].Value = row.UserId;
                p[3].Value = row.TeamId;
                p[4].Value = row.ModelGroup;
                p[5].Value = sum.Requests;
                p[6].Value = sum.InputTokens;
                p[7].Value = sum.OutputTokens;
                p[8].Value = sum.CostNanoUsd;
                upsert.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }
        catch (SqliteException ex)
        {
            Log.WriteFailed(logger, totals.Count, ex.Message);
            return false;
        }
    }

    private readonly record struct SpendEntry(DateOnly Day, string KeyId, string UserId, string TeamId, string ModelGroup, long InputTokens, long OutputTokens, long CostNanoUsd);

    private readonly record struct SpendRow(DateOnly Day, string KeyId, string UserId, string TeamId, string ModelGroup);

    private readonly record struct SpendTotals(long Requests, long InputTokens, long OutputTokens, long CostNanoUsd)
    {
        public SpendTotals Add(in SpendEntry e) => new(Requests + 1, InputTokens + e.InputTokens, OutputTokens + e.OutputTokens, CostNanoUsd + e.CostNanoUsd);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The spend writer stopped")]
        public static partial void WriterCrashed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Writing {Rows} spend rows failed, will retry: {Message}")]
        public static partial void WriteFailed(ILogger logger, int rows, string message);
    }
}
