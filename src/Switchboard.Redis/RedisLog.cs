using Microsoft.Extensions.Logging;

namespace Switchboard.Redis;

internal static partial class RedisLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning,
        Message = "Shared rate limits unavailable ({Error}); each replica now enforces its limits from its own memory until Redis answers again")]
    public static partial void RateLimitsUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Shared rate limits available again; counting in Redis")]
    public static partial void RateLimitsRecovered(ILogger logger);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning,
        Message = "Redis cache unavailable ({Error}); serving without the shared cache and retrying every {RetrySeconds} s")]
    public static partial void CacheUnavailable(ILogger logger, string error, double retrySeconds, Exception exception);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Redis cache available again after {Outage}")]
    public static partial void CacheRecovered(ILogger logger, TimeSpan outage);

}
