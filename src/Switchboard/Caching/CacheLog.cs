using Microsoft.Extensions.Logging;

namespace Switchboard.Caching;

internal static partial class CacheLog
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Response cache {Status} ({Reason})")]
    public static partial void Decided(ILogger logger, string status, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Debug, Message = "Response not stored in the cache: {Reason}")]
    public static partial void NotStored(ILogger logger, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Response cache store failed; the answer was served uncached")]
    public static partial void StoreFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Response cache lookup failed; the request goes to the provider")]
    public static partial void LookupFailed(ILogger logger, Exception exception);
}
