using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Switchboard.Chat;
using Switchboard.Pricing;
using Switchboard.Resilience;
using Switchboard.Routing;

namespace Switchboard.Providers;

/// <summary>
/// Counts a request's input tokens the way its route would be billed: the route's plan (first healthy deployment first)
/// is walked while its deployments' adapters can count (<see cref="ITokenCountingClient"/>); each count goes through the
/// deployment's Polly pipeline (circuit breaker and attempt timeout; no retries) with its own key. A failure moves on to
/// the next deployment; a deployment that cannot count, or none left, gives the o200k estimate. Never throws for an
/// upstream failure; nothing is billed or recorded in the ledger.
/// </summary>
public sealed partial class ProviderTokenCounter(RouteTable routes, RoutePlanner planner, DeploymentResilience resilience,
    IReadOnlyDictionary<string, IChatClient> providers, TokenEstimator estimator, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>The count for <paramref name="options"/>' model (a route, alias or <c>provider/model</c>); throws a
    /// <see cref="ProviderException"/> (not found) when the model does not route.</summary>
    public async Task<ProviderTokenCount> CountAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, RouteOptions hints,
        CancellationToken cancellationToken)
    {
        var route = routes.Resolve(options.ModelId);
        IReadOnlyList<Deployment> candidates;
        try
        {
            candidates = planner.Plan(route, messages, options, hints).Candidates;
        }
        catch (ProviderException)
        {
            candidates = []; // e.g. the prompt fits no context window: still a count to give
        }

        foreach (var deployment in candidates)
        {
            if (resilience.IsOpen(deployment))
            {
                continue;
            }

            if (!providers.TryGetValue(deployment.Provider, out var client) ||
                client.GetService(typeof(ITokenCountingClient)) is not ITokenCountingClient counting)
            {
                break; // the chosen deployment's provider has no count of its own
            }

            var forDeployment = options.Clone();
            forDeployment.ModelId = deployment.Model;
            try
            {
                var tokens = await resilience.Pipeline(deployment).ExecuteAsync(
                    static async (s, token) => await s.counting.CountTokensAsync(s.messages, s.forDeployment, token).ConfigureAwait(false),
                    (counting, messages, forDeployment), cancellationToken).ConfigureAwait(false);
                return new ProviderTokenCount(tokens, ProviderTokenCount.FromProvider, deployment);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                LogCountFailed(_logger, deployment.Name, SecretScrubber.Scrub(ex.Message));
            }
        }

        return new ProviderTokenCount(estimator.CountInput(messages, options), ProviderTokenCount.FromEstimate, null);
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Warning, Message = "Token count by {Deployment} failed, moving on: {Error}")]
    private static partial void LogCountFailed(ILogger logger, string deployment, string error);
}
