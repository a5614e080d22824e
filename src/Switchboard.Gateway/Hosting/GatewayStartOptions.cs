using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchboard.Gateway.Hosting;

/// <summary>How to start a gateway: the CLI's <c>serve</c> verb and the tests fill this in.</summary>
public sealed record GatewayStartOptions
{
    public string[] Args { get; init; } = [];

    /// <summary>A configuration file; <c>switchboard.json</c> in the working directory when null (optional then).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Listen URLs; default <c>http://127.0.0.1:8080</c>.</summary>
    public string? Urls { get; init; }

    /// <summary>Configuration applied last (tests).</summary>
    public IReadOnlyDictionary<string, string?>? Overrides { get; init; }

    /// <summary>Extra logging set-up (tests capture logs here).</summary>
    public Action<ILoggingBuilder>? Logging { get; init; }

    /// <summary>Extra services (tests add attempt observers here).</summary>
    public Action<IServiceCollection>? Services { get; init; }

    /// <summary>
    /// Warm the process before building the gateway (<see cref="ProcessWarmup"/>: requests through a throwaway gateway that
    /// leaves no trace), so the first real request does not pay for JIT compilation. <c>switchboard serve</c> sets it.
    /// </summary>
    public bool Warmup { get; init; }
}
