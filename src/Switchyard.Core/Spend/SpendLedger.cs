using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage;

namespace Switchyard.Spend;

/// <summary>
/// The durable record of spend: every routed call adds its tokens and cost to a row per local day
/// (in <c>limits.budget_time_zone</c>), key, owner user, team and model group. Calls are queued without
/// blocking and summed on a dedicated thread, which adds a batch to the <see cref="ISpendStore"/> once a
/// second (with SQLite, each write competes with the call recorder for the write lock). Unlike call
/// records, nothing here is ever dropped: the queue is unbounded (an entry is a few dozen bytes and
/// the writer merges them faster than calls arrive), and a failed write is retried.
/// </summary>
internal sealed partial class SpendLedger(ISpendStore store, SwitchyardOptions options, ILogger<SpendLedger> logger) : DedicatedWriter("switchyard-spend-writer")
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
        var totals = new Dictionary<SpendRow, SpendFigures>();
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
                totals[row] = totals.GetValueOrDefault(row).Add(new SpendFigures(1, entry.InputTokens, entry.OutputTokens, entry.CostNanoUsd));
                merged++;
            }

            if (Write(totals))
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

    private bool Write(Dictionary<SpendRow, SpendFigures> totals)
    {
        if (totals.Count == 0)
        {
            return true;
        }

        try
        {
            var deltas = totals.Select(t => new SpendDelta(t.Key.Day, t.Key.KeyId, t.Key.UserId, t.Key.TeamId, t.Key.ModelGroup, t.Value)).ToList();
            // This is the ledger's own thread, so waiting here blocks nothing else.
            store.AddAsync(deltas, CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }
        catch (DbException ex)
        {
            Log.WriteFailed(logger, totals.Count, ex.Message);
            return false;
        }
    }

    private readonly record struct SpendEntry(DateOnly Day, string KeyId, string UserId, string TeamId, string ModelGroup, long InputTokens, long OutputTokens, long CostNanoUsd);

    private readonly record struct SpendRow(DateOnly Day, string KeyId, string UserId, string TeamId, string ModelGroup);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The spend writer stopped")]
        public static partial void WriterCrashed(ILogger logger, Exception exception);

        [LoggerMessage(2, LogLevel.Warning, "Writing {Rows} spend rows failed, will retry: {Message}")]
        public static partial void WriteFailed(ILogger logger, int rows, string message);
    }
}
