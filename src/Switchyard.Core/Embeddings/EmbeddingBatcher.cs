using System.Collections.Concurrent;

namespace Switchyard.Embeddings;

/// <summary>
/// The one place texts are embedded while the gateway serves: a single worker thread, at background
/// priority, runs the model on every text that waited while the previous run was under way, in one run.
/// Lookups, which a caller waits for, go first and may be shed; background texts (answers to index) fill
/// runs when no lookup waits.
/// </summary>
/// <remarks>
/// <para>
/// The collection window is the run under way: nothing waits on a timer, so a lone text runs at once and a
/// burst forms its own batch (docs/benchmarks.md, "Embedding throughput": one run of 4 short texts costs
/// about twice one text, 8 about five times).
/// </para>
/// <para>
/// One worker with one inference thread bounds the model to one core whatever the load, and
/// <see cref="BackgroundPriority"/> makes even that core the gateway's first: under overload runs slow
/// down, the estimate below grows, and lookups are shed instead of calls queueing behind the model.
/// </para>
/// <para>
/// The estimate a lookup is admitted by is when its vector would be ready: what is left of the run under
/// way, then the run it joins (the lookups waiting and itself), each from a moving average of the run
/// duration at that batch size, on the injected clock. A run's time is mostly fixed cost (one text 3.4 ms,
/// four 6.9 ms), so texts ahead times a time per text would underestimate a lone text behind a batch. It
/// decides at once: a shed call spends nothing waiting. A lookup with nothing ahead always runs, since its
/// own embedding is the least a lookup costs, and shedding it would stop the averages from learning that
/// runs got faster.
/// </para>
/// </remarks>
internal sealed class EmbeddingBatcher : IDisposable
{
    /// <summary>The most lookups in one run; the budget normally keeps a batch far smaller.</summary>
    public const int MaxBatch = 16;

    /// <summary>
    /// The most background texts in one run: two short texts take about 4.6 ms, so a lookup arriving just
    /// after such a run started is not held much beyond one embedding of its own.
    /// </summary>
    public const int BackgroundBatch = 2;

    /// <summary>Nice 10: about a tenth of a core's share against the gateway's threads when both want it.</summary>
    public const int DefaultNiceness = 10;

    /// <summary>The weight of the newest run: about the last ten runs count.</summary>
    private const double Weight = 0.2;

    private readonly TimeProvider _time;
    private readonly int _niceness;
    private readonly ConcurrentQueue<PendingEmbedding> _lookups = new();
    private readonly ConcurrentQueue<PendingEmbedding> _background = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _averageLock = new();
    private readonly Lock _startLock = new();
    private Thread? _worker;
    private int _waitingLookups;
    private int _waitingBackground;
    private readonly TimeSpan[] _runTimes = new TimeSpan[MaxBatch + 1];
    private int _running;
    private long _runStarted;
    private TimeSpan _perText;
    private long _runs;
    private long _texts;

    public EmbeddingBatcher(ITextEmbedder embedder, TimeProvider time, int niceness = DefaultNiceness)
    {
        Embedder = embedder;
        _time = time;
        _niceness = niceness;
    }

    public ITextEmbedder Embedder { get; }

    /// <summary>The clock the batcher's estimates run on, for callers that wait on its vectors.</summary>
    public TimeProvider Time => _time;

    /// <summary>Texts waiting for a run plus those in the run under way.</summary>
    public int InFlight => Volatile.Read(ref _waitingLookups) + Volatile.Read(ref _waitingBackground) + Volatile.Read(ref _running);

    /// <summary>The moving average of the time per text of recent runs; zero before the first.</summary>
    public TimeSpan PerText
    {
        get
        {
            lock (_averageLock)
            {
                return _perText;
            }
        }
    }

    /// <summary>Runs of the model since start, and the texts they embedded: their ratio is the mean batch.</summary>
    public (long Runs, long Texts) Totals
    {
        get
        {
            lock (_averageLock)
            {
                return (_runs, _texts);
            }
        }
    }

    /// <summary>
    /// Queues a lookup's text unless the texts ahead of it would make its vector later than
    /// <paramref name="budget"/> from now; false, with nothing queued, when they would.
    /// </summary>
    public bool TryEmbed(string text, TimeSpan budget, CancellationToken cancellationToken, out Task<float[]> vector)
    {
        var waiting = Interlocked.Increment(ref _waitingLookups) - 1;
        var running = Volatile.Read(ref _running);
        if (waiting + running > 0 && ReadyIn(running, waiting) > budget)
        {
            Interlocked.Decrement(ref _waitingLookups);
            vector = Task.FromResult<float[]>([]);
            return false;
        }

        vector = Enqueue(_lookups, text, cancellationToken);
        return true;
    }

    /// <summary>
    /// The call's turn as a vector: the one a stage before already computed, else embedded now as a lookup
    /// and kept on the turn for the stages after; null (nothing queued) when the budget sheds it.
    /// </summary>
    public async ValueTask<float[]?> VectorOfAsync(TurnEmbedding turn, TimeSpan budget, CancellationToken cancellationToken)
    {
        if (turn.Vector is { } known)
        {
            return known;
        }

        if (!TryEmbed(turn.Text, budget, cancellationToken, out var pending))
        {
            return null;
        }

        return turn.Vector = await pending.ConfigureAwait(false);
    }

    /// <summary>Queues a text no caller waits for; it runs when no lookup waits.</summary>
    public Task<float[]> EmbedInBackgroundAsync(string text, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _waitingBackground);
        return Enqueue(_background, text, cancellationToken);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _signal.Release();

        // A worker still loading the model (which cannot be interrupted) keeps its token: disposing the
        // source under it would throw on the worker's thread and take the process down.
        var ended = _worker?.Join(TimeSpan.FromSeconds(5)) ?? true;
        foreach (var queue in new[] { _lookups, _background })
        {
            while (queue.TryDequeue(out var pending))
            {
                pending.Cancel();
            }
        }

        if (ended)
        {
            _stopping.Dispose();
        }
    }

    private Task<float[]> Enqueue(ConcurrentQueue<PendingEmbedding> queue, string text, CancellationToken cancellationToken)
    {
        var pending = new PendingEmbedding(text, cancellationToken);
        queue.Enqueue(pending);
        StartWorker();
        _signal.Release();
        return pending.Vector;
    }

    private void StartWorker()
    {
        if (Volatile.Read(ref _worker) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_worker is null)
            {
                var worker = new Thread(Work) { IsBackground = true, Name = "Switchyard embeddings" };
                worker.Start();
                Volatile.Write(ref _worker, worker);
            }
        }
    }

    private void Work()
    {
        BackgroundPriority.LowerCurrentThread(_niceness);
        var batch = new List<PendingEmbedding>(MaxBatch);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                _signal.Wait(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Each wake-up takes what waits now; the count left in the semaphore only brings empty turns.
            while (Take(batch))
            {
                Run(batch);
                batch.Clear();
            }
        }
    }

    /// <summary>The next run: every waiting lookup (up to the cap), else a few background texts.</summary>
    private bool Take(List<PendingEmbedding> batch)
    {
        while (batch.Count < MaxBatch && TryClaim(_lookups, ref _waitingLookups, out var lookup))
        {
            batch.Add(lookup);
        }

        if (batch.Count == 0)
        {
            while (batch.Count < BackgroundBatch && TryClaim(_background, ref _waitingBackground, out var text))
            {
                batch.Add(text);
            }
        }

        return batch.Count > 0;
    }

    /// <summary>The next text of <paramref name="queue"/> whose caller still waits, counted as running.</summary>
    private bool TryClaim(ConcurrentQueue<PendingEmbedding> queue, ref int waiting, out PendingEmbedding pending)
    {
        while (queue.TryDequeue(out pending!))
        {
            Interlocked.Increment(ref _running);
            Interlocked.Decrement(ref waiting);
            if (pending.TryStart())
            {
                return true;
            }

            Interlocked.Decrement(ref _running); // its caller gave up while it waited
        }

        return false;
    }

    private void Run(List<PendingEmbedding> batch)
    {
        var texts = new string[batch.Count];
        for (var i = 0; i < texts.Length; i++)
        {
            texts[i] = batch[i].Text;
        }

        var started = _time.GetTimestamp();
        Volatile.Write(ref _runStarted, started);
        try
        {
            var vectors = Embedder.EmbedBatch(texts, _stopping.Token);
            Learn(_time.GetElapsedTime(started), texts.Length);
            Interlocked.Exchange(ref _running, 0);
            for (var i = 0; i < vectors.Length; i++)
            {
                batch[i].Complete(vectors[i]);
            }
        }
        catch (Exception ex)
        {
            Interlocked.Exchange(ref _running, 0);
            foreach (var pending in batch)
            {
                pending.Fail(ex);
            }
        }
    }

    /// <summary>
    /// When a lookup queued now would have its vector: the rest of the run under way (of
    /// <paramref name="running"/> texts), then full runs for the lookups beyond one batch, then its own run.
    /// </summary>
    private TimeSpan ReadyIn(int running, int waiting)
    {
        lock (_averageLock)
        {
            var ready = TimeSpan.Zero;
            if (running > 0)
            {
                var left = RunTime(Math.Min(running, MaxBatch)) - _time.GetElapsedTime(Volatile.Read(ref _runStarted));
                ready += left > TimeSpan.Zero ? left : TimeSpan.Zero;
            }

            var texts = waiting + 1;
            ready += RunTime(MaxBatch) * ((texts - 1) / MaxBatch);
            return ready + RunTime(((texts - 1) % MaxBatch) + 1);
        }
    }

    /// <summary>
    /// The learnt duration of a run of <paramref name="texts"/>; for a size not seen yet, the nearest size
    /// seen, scaled up in proportion when this one is larger (never less than a run would take); zero before
    /// any run. Called under the lock.
    /// </summary>
    private TimeSpan RunTime(int texts)
    {
        if (_runTimes[texts] > TimeSpan.Zero)
        {
            return _runTimes[texts];
        }

        for (var distance = 1; distance <= MaxBatch; distance++)
        {
            if (texts + distance <= MaxBatch && _runTimes[texts + distance] > TimeSpan.Zero)
            {
                return _runTimes[texts + distance];
            }

            if (texts - distance >= 1 && _runTimes[texts - distance] > TimeSpan.Zero)
            {
                return _runTimes[texts - distance] * texts / (texts - distance);
            }
        }

        return TimeSpan.Zero;
    }

    private void Learn(TimeSpan took, int texts)
    {
        var perText = took / texts;
        lock (_averageLock)
        {
            var size = Math.Min(texts, MaxBatch);
            _runTimes[size] = _runTimes[size] == TimeSpan.Zero ? took : (took * Weight) + (_runTimes[size] * (1 - Weight));
            _perText = _perText == TimeSpan.Zero ? perText : (perText * Weight) + (_perText * (1 - Weight));
            _runs++;
            _texts += texts;
        }
    }
}
