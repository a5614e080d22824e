namespace Switchboard.IntegrationTests.Chaos;

/// <summary>How one request through the gateway ended, judged against the stream-failure contract.</summary>
public enum ChaosVerdict
{
    /// <summary>HTTP 200 with a whole answer; a stream ended with <c>[DONE]</c> / <c>message_stop</c> and no error frame.</summary>
    Succeeded,

    /// <summary>A stream that sent content, then an error frame and no end frame: allowed by the contract after first content.</summary>
    CutAfterContent,

    /// <summary>502/503 in the endpoint's error format, naming every provider tried.</summary>
    CleanFailure,

    /// <summary>Anything else: another status, an error before content, a broken or unfinished stream, no answer in time.</summary>
    Failed,
}
