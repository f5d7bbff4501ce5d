using Microsoft.Extensions.Time.Testing;
using Switchyard.Gateway;
using Xunit;

namespace Switchyard.Tests.Gateway;

/// <summary>New trace ids: time first, then random bytes handed out from a per-thread buffer, never the same twice.</summary>
public sealed class TraceIdsTests
{
    [Fact]
    public void New_trace_ids_start_with_the_time_and_do_not_repeat_across_many_buffer_refills()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(0x0123456789AB));
        var seen = new HashSet<string>();

        // 10 random bytes an id: 10,000 ids empty the 1 KB buffer about a hundred times.
        for (var i = 0; i < 10_000; i++)
        {
            var id = TraceIds.NewTraceId(time).ToHexString();
            Assert.StartsWith("0123456789ab", id, StringComparison.Ordinal);
            Assert.True(seen.Add(id), $"trace id {id} repeated");
        }
    }

    [Fact]
    public void A_request_larger_than_the_buffer_is_filled_in_full()
    {
        var bytes = new byte[4096];

        TraceIdRandom.Fill(bytes);

        // 4,096 random bytes with a run of 64 zeros is a 2^-512 event: the request was filled.
        Assert.True(bytes.AsSpan().IndexOf(new byte[64]) < 0);
    }
}
