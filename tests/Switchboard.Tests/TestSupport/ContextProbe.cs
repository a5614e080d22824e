using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Tests.TestSupport;

/// <summary>
/// Test support: an outermost layer that remembers which <see cref="SwitchboardContext"/> each response and update came
/// from, so a test can read how its request was served (<see cref="ContextProbeExtensions"/>) without threading the
/// context through every call.
/// </summary>
public sealed class ContextProbe(IChatClient inner) : DelegatingChatClient(inner)
{
    internal static readonly ConditionalWeakTable<object, SwitchboardContext> Contexts = new();

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        Contexts.AddOrUpdate(response, context);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            Contexts.AddOrUpdate(update, context);
            yield return update;
        }
    }
}

/// <summary>Reads, for a response or update that went through a <see cref="ContextProbe"/>, how its request was served.</summary>
public static class ContextProbeExtensions
{
    public static SwitchboardContext? GetContext(this ChatResponse response) => Of(response);

    public static SwitchboardContext? GetContext(this ChatResponseUpdate update) => Of(update);

    public static RoutingResult? GetRoutingResult(this ChatResponse response) => Of(response)?.Routing;

    public static RoutingResult? GetRoutingResult(this ChatResponseUpdate update) => Of(update)?.Routing;

    public static string? GetCacheStatus(this ChatResponse response) => Of(response)?.CacheStatus;

    public static string? GetCacheStatus(this ChatResponseUpdate update) => Of(update)?.CacheStatus;

    public static decimal? GetCacheSavedCostUsd(this ChatResponse response) => Of(response)?.Cache?.SavedCostUsd;

    public static decimal? GetCacheSavedCostUsd(this ChatResponseUpdate update) => Of(update)?.Cache?.SavedCostUsd;

    public static string? GetTriggeredGuardrails(this ChatResponse response) =>
        Of(response)?.GuardrailsTriggered is { Count: > 0 } guards ? string.Join(',', guards) : null;

    private static SwitchboardContext? Of(object target) => ContextProbe.Contexts.TryGetValue(target, out var context) ? context : null;
}
