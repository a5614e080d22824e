using Microsoft.Extensions.Time.Testing;
using Switchboard.Resilience;

namespace Switchboard.Tests.Resilience;

public sealed class DeploymentLimiterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task WaitQueue_IsBounded_ExtraWaitersRefusedAtOnce()
    {
        var limiter = new DeploymentLimiter("d:test", rpm: 1, tpm: null, _time, queueLimit: 2);
        Assert.True((await limiter.TryAcquireAsync(0, CancellationToken.None)).Acquired);

        var first = limiter.AcquireAsync(0, CancellationToken.None).AsTask();
        var second = limiter.AcquireAsync(0, CancellationToken.None).AsTask();
        var third = await limiter.AcquireAsync(0, CancellationToken.None); // the queue holds two: refused without waiting

        Assert.False(third);
        Assert.False(first.IsCompleted || second.IsCompleted);
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        _time.Advance(TimeSpan.FromMinutes(3));
        Assert.True(await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }
}
