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
    public void Ids_UseTheWholeRange_NotAFixedPrefixOrCounter()
    {
        // A counter or a per-process prefix would keep leading characters fixed; random ids vary in every position.
        var ids = Enumerable.Range(0, 300).Select(_ => RequestIds.New()).ToList();
        for (var position = 0; position < 32; position++)
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
