namespace Switchyard.Caching.Semantic;

/// <summary>
/// The in-process nearest-neighbour index of the semantic cache: quantized vectors partitioned by scope
/// (the part of a request that must match exactly: model group, system prompt, tools, parameters), each
/// partition scanned in full. A lookup only reads its own scope, and an exact scan never misses the true
/// nearest neighbour the way an approximate index can. Thread-safe: one lock per index.
/// </summary>
internal sealed class VectorIndex(int dimensions)
{
    private readonly Dictionary<CacheKey, Partition> _partitions = [];
    private readonly Lock _lock = new();

    public int Dimensions { get; } = dimensions;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _partitions.Values.Sum(p => p.Count);
            }
        }
    }

    /// <summary>Adds or replaces the vector stored for <paramref name="entry"/> in <paramref name="scope"/>.</summary>
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

            partition.Add(entry, vector);
        }
    }

    public void Remove(CacheKey scope, CacheKey entry)
    {
        lock (_lock)
        {
            if (_partitions.TryGetValue(scope, out var partition) && partition.Remove(entry) && partition.Count == 0)
            {
                _partitions.Remove(scope);
            }
        }
    }

    /// <summary>The most similar stored vector of the scope, with its cosine similarity; null when the scope is empty.</summary>
    public (CacheKey Entry, float Similarity)? Nearest(CacheKey scope, ReadOnlySpan<float> vector)
    {
        Span<sbyte> query = stackalloc sbyte[Dimensions];
        var scale = QuantizedVectors.Quantize(vector, query);
        lock (_lock)
        {
            return _partitions.TryGetValue(scope, out var partition) ? partition.Nearest(query, scale) : null;
        }
    }

    /// <summary>One scope's vectors, contiguous so a scan streams through memory; removal swaps in the last.</summary>
    private sealed class Partition(int dimensions)
    {
        private sbyte[] _vectors = new sbyte[dimensions * 16];
        private float[] _scales = new float[16];
        private CacheKey[] _keys = new CacheKey[16];
        private readonly Dictionary<CacheKey, int> _slots = [];

        public int Count { get; private set; }

        public void Add(CacheKey key, ReadOnlySpan<float> vector)
        {
            if (!_slots.TryGetValue(key, out var slot))
            {
                if (Count == _keys.Length)
                {
                    Array.Resize(ref _vectors, _vectors.Length * 2);
                    Array.Resize(ref _scales, _scales.Length * 2);
                    Array.Resize(ref _keys, _keys.Length * 2);
                }

                slot = Count++;
                _slots[key] = slot;
                _keys[slot] = key;
            }

            _scales[slot] = QuantizedVectors.Quantize(vector, _vectors.AsSpan(slot * dimensions, dimensions));
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
                _scales[slot] = _scales[last];
                _keys[slot] = _keys[last];
                _slots[_keys[slot]] = slot;
            }

            return true;
        }

        public (CacheKey, float)? Nearest(ReadOnlySpan<sbyte> query, float scale)
        {
            if (Count == 0)
            {
                return null;
            }

            var best = -1;
            var bestScore = float.NegativeInfinity;
            for (var i = 0; i < Count; i++)
            {
                var score = QuantizedVectors.Dot(query, _vectors.AsSpan(i * dimensions, dimensions)) * _scales[i];
                if (score > bestScore)
                {
                    bestScore = score;
                    best = i;
                }
            }

            return (_keys[best], bestScore * scale);
        }
    }
}
