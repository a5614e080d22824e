namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>Decides when a store purges its expired rows: lazily, on a write, at most once per <see cref="Interval"/>.</summary>
internal sealed class ExpiredRowPurge(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <summary>The most rows one purge deletes, so a write never waits on a huge delete; the next purge takes the rest.</summary>
    public const int BatchSize = 1000;

    private long _next = long.MinValue;

    /// <summary>True (once per interval) when the caller should purge now.</summary>
    public bool Due()
    {
        var now = time.GetUtcNow().UtcTicks;
        var next = Interlocked.Read(ref _next);
        return now >= next && Interlocked.CompareExchange(ref _next, now + Interval.Ticks, next) == next;
    }
}
