using Microsoft.Extensions.Logging;

namespace Switchboard.RateLimits;

internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = 5201, Level = LogLevel.Warning,
        Message = "Shared rate limits unavailable ({Error}); each replica now enforces its limits from its own memory until Redis answers again")]
    public static partial void RedisUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Information, Message = "Shared rate limits available again; counting in Redis")]
    public static partial void RedisRecovered(ILogger logger);
}
