using Microsoft.Extensions.Logging;

namespace Switchboard.Routing;

internal static partial class RouterLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Attempt observer {Observer} failed")]
    public static partial void ObserverFailed(ILogger logger, string observer, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Provider attempt failed: {Deployment} {ErrorKind} (status {Status}); {Next}")]
    public static partial void AttemptFailed(ILogger logger, string deployment, string errorKind, int? status, string next);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Route {Route} plan: {Candidates} ({Reason})")]
    public static partial void Planned(ILogger logger, string route, string candidates, string reason);
}
