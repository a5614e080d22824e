using Microsoft.Extensions.Time.Testing;
using Switchboard.RateLimits;

namespace Switchboard.Tests.RateLimits;

public sealed class WindowCounterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TokensRefused_SpendsNoRequestPermit()
    {
        var counter = new WindowCounter(rpm: 2, tpm: 100, _time);

        Assert.True(counter.TryAcquire(90).Acquired);
        Assert.False(counter.TryAcquire(50).Acquired); // over the tokens: the request permit must not be taken
        Assert.Equal(1, counter.RequestsHeadroom);
        Assert.True(counter.TryAcquire(10).Acquired);
    }

    [Fact]
    public void RequestLimit_RefusesWithRetryAfter_ThenAdmitsAsThePreviousMinuteSlidesOut()
    {
        var counter = new WindowCounter(rpm: 3, tpm: null, _time);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(counter.TryAcquire(0).Acquired);
        }

        var refused = counter.TryAcquire(0);
        Assert.False(refused.Acquired);
        Assert.InRange(refused.RetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));

        _time.Advance(TimeSpan.FromSeconds(61)); // the previous minute still weighs 3 * 59/60: 2.95 + 1 > 3
        Assert.False(counter.TryAcquire(0).Acquired);
        _time.Advance(TimeSpan.FromSeconds(19)); // now 3 * 40/60 = 2: one more fits
        Assert.True(counter.TryAcquire(0).Acquired);
        Assert.False(counter.TryAcquire(0).Acquired);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(counter.TryAcquire(0).Acquired);
    }

    [Fact]
    public void RequestLargerThanTheMinute_IsClampedAndPassesOnce()
    {
        var counter = new WindowCounter(rpm: null, tpm: 100, _time);

        Assert.True(counter.TryAcquire(5_000).Acquired);
        Assert.False(counter.TryAcquire(1).Acquired);
    }
}
