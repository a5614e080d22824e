namespace Switchboard.RateLimits;

/// <summary>
/// Requests and tokens per minute as a sliding-window counter: the current minute's count plus the previous minute's
/// weighted by how much of it still lies inside the last 60 s. Minutes are aligned to the clock, the same arithmetic as
/// the shared Redis store's script, so the embedded and the shared limits behave alike. Both limits are
/// checked before either is charged: a request refused for tokens spends no request permit.
/// </summary>
/// <remarks>
/// Hand-written rather than System.Threading.RateLimiting: that library cannot take from two limiters atomically or give
/// a permit back, runs a timer per limiter, and does not follow <see cref="TimeProvider"/>.
/// </remarks>
public sealed class WindowCounter(int? rpm, int? tpm, TimeProvider time)
{
    public const long WindowMs = 60_000;
    private readonly Lock _gate = new();
    private Window _requests;
    private Window _tokens;

    public int? Rpm => rpm;

    public int? Tpm => tpm;

    public bool IsLimited => rpm is not null || tpm is not null;

    /// <summary>Takes one request and <paramref name="tokens"/> tokens, both or neither.</summary>
    public RateLimitDecision TryAcquire(long tokens)
    {
        var cost = ClampTokens(tokens);
        lock (_gate)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            _requests.Roll(now);
            _tokens.Roll(now);
            var wait = Math.Max(_requests.Wait(rpm, 1, now), _tokens.Wait(tpm, cost, now));
            if (wait > 0)
            {
                return new RateLimitDecision(false, TimeSpan.FromMilliseconds(wait));
            }

            _requests.Current += rpm is null ? 0 : 1;
            _tokens.Current += tpm is null ? 0 : cost;
            return RateLimitDecision.Admitted;
        }
    }

    /// <summary>Charges tokens without a check (usage reported beyond the estimate).</summary>
    public void AddTokens(long tokens)
    {
        if (tpm is null || tokens <= 0)
        {
            return;
        }

        lock (_gate)
        {
            _tokens.Roll(time.GetUtcNow().ToUnixTimeMilliseconds());
            _tokens.Current += ClampTokens(tokens);
        }
    }

    public long? RequestsHeadroom => Headroom(rpm, ref _requests);

    public long? TokensHeadroom => Headroom(tpm, ref _tokens);

    /// <summary>A token cost within [1, TPM]: one request larger than the whole minute's limit must still pass once.</summary>
    public long ClampTokens(long tokens) => tpm is { } t ? Math.Clamp(tokens, 1, t) : 0;

    private long? Headroom(int? limit, ref Window window)
    {
        if (limit is not { } l)
        {
            return null;
        }

        lock (_gate)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            window.Roll(now);
            return Math.Max(0, l - (long)Math.Ceiling(window.Estimate(now)));
        }
    }

    private struct Window
    {
        public long Index;
        public long Current;
        public long Previous;

        public void Roll(long now)
        {
            var index = now / WindowMs;
            if (index == Index)
            {
                return;
            }

            Previous = index == Index + 1 ? Current : 0;
            Current = 0;
            Index = index;
        }

        public readonly double Estimate(long now) => (Previous * (1 - Fraction(now))) + Current;

        /// <summary>Milliseconds until <paramref name="cost"/> fits under <paramref name="limit"/>; 0 when it fits now.</summary>
        public readonly long Wait(int? limit, long cost, long now)
        {
            if (limit is not { } l || Estimate(now) + cost <= l)
            {
                return 0;
            }

            if (Current + cost <= l && Previous > 0)
            {
                // The previous minute's weight falls linearly: find when it has fallen far enough.
                var fraction = 1 - ((double)(l - Current - cost) / Previous);
                return Math.Max(1, (long)Math.Ceiling((fraction - Fraction(now)) * WindowMs));
            }

            return WindowMs - (now % WindowMs);
        }

        private static double Fraction(long now) => (double)(now % WindowMs) / WindowMs;
    }
}
