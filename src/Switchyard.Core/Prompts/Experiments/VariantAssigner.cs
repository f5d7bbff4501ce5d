using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Prompts.Experiments;

/// <summary>
/// Sticky, stateless assignment of a unit (user, session or key) to a variant: SHA-256 of
/// <c>experimentId U+001F unit</c>, its first 8 bytes mapped onto [0, total weight) and looked up in the
/// cumulative weights. The same inputs give the same variant on every instance and after every restart.
/// Changing weights only moves the units whose hash falls between an old and a new cumulative boundary:
/// going from 50/50 to 60/40 moves 10 % of units, all of them towards the variant that grew.
/// </summary>
internal sealed class VariantAssigner
{
    // A unit longer than this is hashed through a rented buffer; ids and session keys are far shorter.
    private const int StackLimit = 512;

    private readonly string _seed;
    private readonly long[] _cumulative;

    public VariantAssigner(string experimentId, IReadOnlyList<int> weights)
    {
        ArgumentNullException.ThrowIfNull(experimentId);
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0)
        {
            throw new ArgumentException("An experiment needs at least one variant.", nameof(weights));
        }

        _seed = experimentId;
        _cumulative = new long[weights.Count];
        long total = 0;
        for (var i = 0; i < weights.Count; i++)
        {
            if (weights[i] < 0)
            {
                throw new ArgumentException("Weights cannot be negative.", nameof(weights));
            }

            total += weights[i];
            _cumulative[i] = total;
        }

        if (total == 0)
        {
            throw new ArgumentException("At least one weight must be positive.", nameof(weights));
        }
    }

    /// <summary>The sum of the weights.</summary>
    public long TotalWeight => _cumulative[^1];

    /// <summary>The index of the variant for <paramref name="unit"/>.</summary>
    public int Pick(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var point = Point(_seed, unit, TotalWeight);
        for (var i = 0; i < _cumulative.Length; i++)
        {
            if (point < _cumulative[i])
            {
                return i;
            }
        }

        return _cumulative.Length - 1;
    }

    /// <summary>Where <paramref name="unit"/> falls in [0, <paramref name="total"/>) for this seed.</summary>
    public static long Point(string seed, string unit, long total)
    {
        var length = Encoding.UTF8.GetMaxByteCount(seed.Length + unit.Length + 1);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(seed, buffer);
            buffer[written++] = 0x1F;
            written += Encoding.UTF8.GetBytes(unit, buffer[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            var value = BinaryPrimitives.ReadUInt64BigEndian(hash);
            // Multiply-high instead of a modulo: no bias towards low points for totals that do not divide 2^64.
            return (long)Math.BigMul(value, (ulong)total, out _);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
