using System.Collections.Concurrent;

namespace Switchboard.Emulator;

/// <summary>Settings for an <see cref="EmulatorHost"/>: listen address, faults and latency model.</summary>
public sealed class EmulatorOptions
{
    /// <summary>Listen URL; default <c>http://127.0.0.1:0</c> (a free port).</summary>
    public string? Urls { get; set; } = "http://127.0.0.1:0";

    /// <summary>Fault spec applied to every model request (same syntax as the <c>x-emulator-fault</c> header).</summary>
    public string? Fault { get; set; }

    /// <summary>Fault specs keyed by protocol (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>) or by model id; read per request.</summary>
    public ConcurrentDictionary<string, string> ProviderFaults { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Delay before the first streamed chunk and before a non-streaming reply.</summary>
    public int TimeToFirstTokenMs { get; set; }

    /// <summary>Pacing between streamed chunks; 0 means no pacing.</summary>
    public double TokensPerSecond { get; set; }

    /// <summary>When set, any other key gets the provider's authentication error.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>The clock for fault windows (<c>after-ms</c>, <c>for-ms</c>), delays and pacing; tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
