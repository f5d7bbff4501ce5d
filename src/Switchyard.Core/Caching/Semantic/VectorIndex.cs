using System.Numerics;

namespace Switchyard.Caching.Semantic;

/// <summary>
/// The in-process nearest-neighbour index of the semantic cache. Vectors are partitioned by scope and
/// kept twice, compactly: as one sign bit per dimension (48 bytes for 384 dimensions) and as signed bytes
/// with a scale (<see cref="QuantizedVectors"/>). A lookup first ranks its whole scope by the Hamming
/// distance of the sign bits (six XOR-and-popcount steps per entry, so 100,000 entries cost well under a
/// millisecond), then rescores the closest <see cref="Shortlist"/> on the byte vectors, whose dot product
/// is the cosine to within 0.01. A scope with no more entries than the shortlist is scored exactly.
/// Thread-safe: one lock per index.
/// </summary>
internal sealed class VectorIndex(int dimensions) : IVectorIndex
{
    /// <summary>How many sign-bit neighbours are rescored; a paraphrase at 0.85 cosine sits far inside it.</summary>
    public const int Shortlist = 256;

    private readonly Dictionary<CacheKey, Partition> _partitions = [];
    private readonly Lock _lock = new();
    private int _count;

    public int Dimensions { get; } = dimensions;

    public int Count => Volatile.Read(ref _count);

    /// <summary>A scope's partition exists exactly while it holds a vector (the last removal drops it): one dictionary probe.</summary>
    public ValueTask<bool> AnyAsync(CacheKey scope, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_partitions.ContainsKey(scope));
        }
    }

    public ValueTask AddAsync(CacheKey scope, CacheKey entry, ReadOnlyMemory<float> vector, CancellationToken cancellationToken)
    {
        Add(scope, entry, vector.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask RemoveAsync(CacheKey scope, CacheKey entry, CancellationToken cancellationToken)
    {
        Remove(scope, entry);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<VectorMatch>> NearestAsync(CacheKey scope, ReadOnlyMemory<float> vector, float minSimilarity, int max, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Nearest(scope, vector.Span, minSimilarity, max));

    public void Add(CacheKey scope, CacheKey entry, ReadOnlySpan<float> vector)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"expected {Dimensions} dimensions, got {vector.Length}", nameof(vector));
        }

        lock (_lock)
        {
            if (!_partitions.TryGetValue(scope, out var partition))
            {
                _partitions[scope] = partition = new Partition(Dimensions);
            }

            if (partition.Add(entry, vector))
            {
                _count++;
            }
        }
    }

    public void Remove(CacheKey scope, CacheKey entry)
    {
        lock (_lock)
        {
            if (_partitions.TryGetValue(scope, out var partition) && partition.Remove(entry))
            {
                _count--;
                if (partition.Count == 0)
                {
                    _partitions.Remove(scope);
                }
            }
        }
    }

    public IReadOnlyList<VectorMatch> Nearest(CacheKey scope, ReadOnlySpan<float> vector, float minSimilarity, int max)
    {
        var query = new sbyte[Dimensions];
        var scale = QuantizedVectors.Quantize(vector, query);
        var signs = new ulong[SignWords(Dimensions)];
        Signs(vector, signs);
        lock (_lock)
        {
            return _partitions.TryGetValue(scope, out var partition) ? partition.Nearest(query, scale, signs, minSimilarity, max) : [];
        }
    }

    private static int SignWords(int dimensions) => (dimensions + 63) / 64;

    private static void Signs(ReadOnlySpan<float> vector, Span<ulong> destination)
    {
        destination.Clear();
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > 0)
            {
                destination[i >> 6] |= 1UL << (i & 63);
            }
        }
    }

    /// <summary>One scope's vectors, contiguous so a scan streams through memory; removal swaps in the last.</summary>
    private sealed class Partition(int dimensions)
    {
        private readonly int _words = SignWords(dimensions);
        private readonly Dictionary<CacheKey, int> _slots = [];
        private ulong[] _signs = new ulong[SignWords(dimensions) * 16];
        private sbyte[] _vectors = new sbyte[dimensions * 16];
        private float[] _scales = new float[16];
        private CacheKey[] _keys = new CacheKey[16];

        public int Count { get; private set; }

        /// <summary>True when the entry is new to the partition.</summary>
        public bool Add(CacheKey key, ReadOnlySpan<float> vector)
        {
            var added = false;
            if (!_slots.TryGetValue(key, out var slot))
            {
                if (Count == _keys.Length)
                {
                    Array.Resize(ref _signs, _signs.Length * 2);
                    Array.Resize(ref _vectors, _vectors.Length * 2);
                    Array.Resize(ref _scales, _scales.Length * 2);
                    Array.Resize(ref _keys, _keys.Length * 2);
                }

                slot = Count++;
                _slots[key] = slot;
                _keys[slot] = key;
                added = true;
            }

            _scales[slot] = QuantizedVectors.Quantize(vector, _vectors.AsSpan(slot * dimensions, dimensions));
            Signs(vector, _signs.AsSpan(slot * _words, _words));
            return added;
        }

        public bool Remove(CacheKey key)
        {
            if (!_slots.Remove(key, out var slot))
            {
                return false;
            }

            var last = --Count;
            if (slot != last)
            {
                _vectors.AsSpan(last * dimensions, dimensions).CopyTo(_vectors.AsSpan(slot * dimensions, dimensions));
                _signs.AsSpan(last * _words, _words).CopyTo(_signs.AsSpan(slot * _words, _words));
                _scales[slot] = _scales[last];
                _keys[slot] = _keys[last];
                _slots[_keys[slot]] = slot;
            }

            return true;
        }

        public IReadOnlyList<VectorMatch> Nearest(ReadOnlySpan<sbyte> query, float scale, ReadOnlySpan<ulong> signs, float minSimilarity, int max)
        {
            var matches = new List<VectorMatch>();
            foreach (var slot in Candidates(signs))
            {
                var similarity = QuantizedVectors.Dot(query, _vectors.AsSpan(slot * dimensions, dimensions)) * _scales[slot] * scale;
                if (similarity >= minSimilarity)
                {
                    matches.Add(new VectorMatch(_keys[slot], similarity));
                }
            }

            matches.Sort((a, b) => b.Similarity.CompareTo(a.Similarity));
            return matches.Count > max ? matches[..max] : matches;
        }

        /// <summary>Every slot when the partition is small; else the <see cref="Shortlist"/> nearest by sign bits.</summary>
        private List<int> Candidates(ReadOnlySpan<ulong> signs)
        {
            if (Count <= Shortlist)
            {
                return [.. Enumerable.Range(0, Count)];
            }

            // A max-heap on distance holding the closest so far: its top is the one to beat.
            var closest = new PriorityQueue<int, int>(Shortlist, Comparer<int>.Create((a, b) => b.CompareTo(a)));
            var worst = int.MaxValue;
            for (var slot = 0; slot < Count; slot++)
            {
                var stored = _signs.AsSpan(slot * _words, _words);
                var distance = 0;
                for (var w = 0; w < stored.Length; w++)
                {
                    distance += BitOperations.PopCount(stored[w] ^ signs[w]);
                }

                if (closest.Count < Shortlist)
                {
                    closest.Enqueue(slot, distance);
                    if (closest.Count == Shortlist)
                    {
                        closest.TryPeek(out _, out worst);
                    }
                }
                else if (distance < worst)
                {
                    closest.DequeueEnqueue(slot, distance);
                    closest.TryPeek(out _, out worst);
                }
            }

            return [.. closest.UnorderedItems.Select(item => item.Element)];
        }
    }
}
