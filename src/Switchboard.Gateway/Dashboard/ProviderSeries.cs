namespace Switchboard.Gateway.Dashboard;

/// <summary>The dashboard's time series: per provider, one <see cref="SeriesBucket"/> per slice of the window.</summary>
/// <param name="Since">Start of the window.</param>
/// <param name="Until">End of the window (now).</param>
/// <param name="BucketSeconds">Width of one bucket.</param>
/// <param name="Requests">Requests the series were built from (the most recent ones in the window, at most <see cref="ProviderSeriesBuilder.MaxRequests"/>).</param>
/// <param name="Truncated">The window held more requests than were read: older ones are missing from the charts.</param>
/// <param name="Providers">One series per provider, by name.</param>
internal sealed record ProviderSeries(DateTimeOffset Since, DateTimeOffset Until, double BucketSeconds, int Requests, bool Truncated,
    IReadOnlyList<ProviderSeriesLine> Providers);

/// <summary>One provider's buckets.</summary>
internal sealed record ProviderSeriesLine(string Provider, IReadOnlyList<SeriesBucket> Buckets);

/// <summary>
/// Attempts sent to one provider in one bucket: how many, how many failed, latency percentiles of the successful ones
/// and the median time to first token of the streamed ones (null when there was nothing to measure).
/// </summary>
internal sealed record SeriesBucket(DateTimeOffset Start, int Requests, int Errors, double? LatencyP50Ms, double? LatencyP95Ms, double? TimeToFirstTokenMs);
