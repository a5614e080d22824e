using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>Carries Switchboard's per-request hints and results through Microsoft.Extensions.AI's property bags.</summary>
public static class SwitchboardChatExtensions
{
    /// <summary>The key of <see cref="RouteOptions"/> in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string RouteOptionsKey = "switchboard.route";

    /// <summary>The key of <see cref="RoutingResult"/> in a response's or update's additional properties.</summary>
    public const string RoutingResultKey = "switchboard.result";

    /// <summary>Sets routing hints on the options (creating the property bag when needed).</summary>
    public static ChatOptions WithRoute(this ChatOptions options, RouteOptions route)
    {
        (options.AdditionalProperties ??= [])[RouteOptionsKey] = route;
        return options;
    }

    /// <summary>The routing hints on these options, if any.</summary>
    public static RouteOptions? GetRouteOptions(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(RouteOptionsKey, out var value) == true ? value as RouteOptions : null;

    /// <summary>How the router served this response.</summary>
    public static RoutingResult? GetRoutingResult(this ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(RoutingResultKey, out var value) == true ? value as RoutingResult : null;

    /// <summary>How the router served this stream (on its first and last updates).</summary>
    public static RoutingResult? GetRoutingResult(this ChatResponseUpdate update) =>
        update.AdditionalProperties?.TryGetValue(RoutingResultKey, out var value) == true ? value as RoutingResult : null;
}
