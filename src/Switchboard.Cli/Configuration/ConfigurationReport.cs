using Switchboard.Routing;

namespace Switchboard.Cli.Configuration;

/// <summary>The result of <see cref="ConfigurationCheck.Run"/>.</summary>
/// <param name="Errors">Every error, each naming its configuration key.</param>
/// <param name="Routes">The effective routes (built-in and configured) over the configured providers.</param>
/// <param name="DefaultRoute">The route used when a request names no model.</param>
/// <param name="Emulated">No provider is configured: <c>serve</c> and <c>chat</c> answer from the built-in emulator.</param>
/// <param name="Providers">The configured providers, as <c>name (type)</c>.</param>
internal sealed record ConfigurationReport(
    IReadOnlyList<string> Errors,
    IReadOnlyList<Route> Routes,
    string? DefaultRoute,
    bool Emulated,
    IReadOnlyList<string> Providers);
