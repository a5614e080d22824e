using System.Collections.Concurrent;
using Switchboard.Chat;

namespace Switchboard.Tests.Chat;

public sealed class RequestIdsTests
{
    [Fact]
    public void Ids_AreThirtyTwoLowercaseHexCharacters()
    {
        for (var i = 0; i < 1_000; i++)
        {
            var id = RequestIds.New();
            Assert.Equal(32, id.Length);
            Assert.All(id, c => Assert.True(char.IsAsciiHexDigitLower(c) || char.IsAsciiDigit(c), id));
        }
    }

    [Fact]
    public void Ids_DoNotRepeat_AcrossThreadsAndBlockRefills()
    {
        // 4 threads x 2,000 ids: each thread refills its 4 KiB block (256 ids) several times.
        var seen = new ConcurrentDictionary<string, byte>();
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                Assert.True(seen.TryAdd(RequestIds.New(), 0));
            }
        });
        Assert.Equal(8_000, seen.Count);
    }

    [Fact]
    public void Ids_StartWithTheirMillisecond_SoTheySortByCreationTime()
    {
        // The ledger's primary key starts with the request id: ids that grow with time append to the index.
        var t0 = new DateTimeOffset(2026, 12, 6, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var ids = Enumerable.Range(0, 50).Select(i => RequestIds.New(t0 + i * 7)).ToList();
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.Equal(t0, Convert.ToInt64(ids[0][..12], 16));
        Assert.Equal(t0 + 49 * 7, Convert.ToInt64(ids[^1][..12], 16));

        var now = RequestIds.New();
        var ms = Convert.ToInt64(now[..12], 16);
        Assert.InRange(ms, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - 60_000, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Ids_OfTheSameMillisecond_DifferInEveryRandomPosition()
    {
        // 80 random bits after the time: a counter or a fixed suffix would keep positions constant.
        var ids = Enumerable.Range(0, 300).Select(_ => RequestIds.New(1_800_000_000_000)).ToList();
        Assert.Equal(300, ids.Distinct().Count());
        for (var position = 12; position < 32; position++)
        {
            Assert.True(ids.Select(id => id[position]).Distinct().Count() >= 8, $"position {position}");
        }
    }

    [Fact]
    public void Context_GeneratesItsIdOnce_AndKeepsAGivenOne()
    {
        var generated = new SwitchboardContext();
        var first = generated.RequestId;
        Assert.Equal(32, first.Length);
        Assert.Same(first, generated.RequestId);

        Assert.Equal("abc", new SwitchboardContext { RequestId = "abc" }.RequestId);
        Assert.NotEqual(first, new SwitchboardContext().RequestId);
    }
}
