using System.Globalization;

namespace Switchboard.Emulator;

/// <summary>
/// A parsed fault spec: <c>;</c>-separated <c>key[=value]</c> pairs, e.g. <c>status=429;retry-after=2</c>.
/// Gates that combine with any other key: <c>after-ms=N</c>, <c>for-ms=N</c>, <c>percent=P</c> (see <see cref="FaultResolver"/>);
/// <c>call-tool[=NAME]</c> makes the reply call an offered tool on <c>tool_choice: auto</c>.
/// </summary>
internal sealed class FaultSpec
{
    public static readonly FaultSpec None = new();

    public int? Status { get; private set; }
    public string? Error { get; private set; }
    public int? RetryAfterSeconds { get; private set; }
    public int? RetryAfterMs { get; private set; }
    public int? DelayMs { get; private set; }
    public bool Reset { get; private set; }
    public int? CutAfterChunks { get; private set; }
    public int? ErrorAfterChunks { get; private set; }
    public int? StallAfterChunks { get; private set; }
    public bool Malformed { get; private set; }
    public int? ReplyTokens { get; private set; }
    public int? Times { get; private set; }

    /// <summary><c>after-ms=N</c>: the spec applies only once N ms have passed since the resolver first saw it.</summary>
    public int? AfterMs { get; private set; }

    /// <summary><c>for-ms=N</c>: the spec applies only during the N ms after the resolver first saw it (after <c>after-ms</c>, when both are set).</summary>
    public int? ForMs { get; private set; }

    /// <summary><c>percent=P</c>: the spec applies to P of every 100 requests that reach it, spread evenly by a counter.</summary>
    public int? Percent { get; private set; }

    /// <summary><c>call-tool</c> or <c>call-tool=NAME</c>: the reply calls an offered tool even when the choice is auto.</summary>
    public bool CallTool { get; private set; }

    /// <summary>The tool named by <c>call-tool=NAME</c>; null means the first offered tool.</summary>
    public string? CallToolName { get; private set; }

    /// <summary>True when the spec only applies in a time window or to a share of requests.</summary>
    public bool IsGated => AfterMs is not null || ForMs is not null || Percent is not null;

    /// <summary>True when the spec makes the request fail with an HTTP error.</summary>
    public bool IsHttpError => Status is not null || (Error is not null && Error != ErrorKinds.ContentFilter);

    /// <summary>Parses a spec; throws <see cref="FormatException"/> naming the bad part.</summary>
    public static FaultSpec Parse(string? spec)
    {
        var result = new FaultSpec();
        if (string.IsNullOrWhiteSpace(spec))
        {
            return result;
        }

        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? part : part[..eq]).Trim().ToLowerInvariant();
            var value = eq < 0 ? null : part[(eq + 1)..].Trim();
            switch (key)
            {
                case "status": result.Status = Number(key, value); break;
                case "error": result.Error = Kind(value); break;
                case "retry-after": result.RetryAfterSeconds = Number(key, value); break;
                case "retry-after-ms": result.RetryAfterMs = Number(key, value); break;
                case "delay-ms": result.DelayMs = Number(key, value); break;
                case "reset": result.Reset = true; break;
                case "cut-after-chunks": result.CutAfterChunks = Number(key, value); break;
                case "error-after-chunks": result.ErrorAfterChunks = Number(key, value); break;
                case "stall-after-chunks": result.StallAfterChunks = Number(key, value); break;
                case "malformed": result.Malformed = true; break;
                case "reply-tokens": result.ReplyTokens = Number(key, value); break;
                case "times": result.Times = Number(key, value); break;
                case "after-ms": result.AfterMs = Number(key, value); break;
                case "for-ms": result.ForMs = Number(key, value); break;
                case "percent": result.Percent = ParsePercent(value); break;
                case "call-tool":
                    result.CallTool = true;
                    result.CallToolName = string.IsNullOrEmpty(value) ? null : value;
                    break;
                default: throw new FormatException($"Unknown fault key '{key}' in x-emulator-fault '{spec}'.");
            }
        }

        return result;
    }

    private static int Number(string key, string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new FormatException($"Fault key '{key}' needs a non-negative integer, got '{value}'.");

    private static int ParsePercent(string? value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n is >= 0 and <= 100
            ? n
            : throw new FormatException($"Fault key 'percent' needs an integer from 0 to 100, got '{value}'.");

    private static string Kind(string? value) =>
        value is not null && ErrorKinds.All.Contains(value)
            ? value
            : throw new FormatException($"Unknown fault error kind '{value}'; expected one of {string.Join(", ", ErrorKinds.All)}.");
}
