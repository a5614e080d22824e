using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Switchboard.Chat;
using Switchboard.Resilience;
using Switchboard.Telemetry;

namespace Switchboard.Routing;

/// <summary>What one routed request carries across its attempts: its plan, result, attempt budget and last error.</summary>
internal sealed class RequestState
{
    private readonly RoutePlan plan;
    private readonly RoutingResult result;
    private readonly IReadOnlyList<IAttemptObserver> observers;
    private readonly ILogger logger;
    private readonly string? keyId;
    private Activity? _activity;
    private Deployment? _current;

    /// <summary>The configured attempt limit is raised to the plan's distinct providers, so each gets one attempt.</summary>
    public RequestState(RoutePlan plan, RoutingResult result, int maxAttempts, string? keyId,
        IReadOnlyList<IAttemptObserver> observers, ILogger logger, string operation = GenAiAttributes.Chat)
    {
        Operation = operation;
        this.plan = plan;
        this.result = result;
        this.keyId = keyId;
        this.observers = observers;
        this.logger = logger;
        Candidates = new CandidateQueue(plan.Candidates);
        Budget = new AttemptBudget(Math.Max(maxAttempts, CandidateQueue.DistinctProviders(plan.Candidates)),
            Candidates.PrefersAnotherCandidate);
        _activity = StartActivity(plan, result, operation);
    }

    /// <summary>The GenAI operation the request is (<c>chat</c>, <c>embeddings</c>): its spans' and metrics' <c>gen_ai.operation.name</c>.</summary>
    public string Operation { get; }

    public RoutePlan Plan => plan;
    public RoutingResult Result => result;
    public AttemptBudget Budget { get; }
    public CandidateQueue Candidates { get; }
    public string? KeyId => keyId;
    public ProviderException? LastError { get; set; }

    /// <summary>The error kind that made the router move on to the current candidate.</summary>
    public string? FallbackReason => LastError is { } e ? e.Kind.ToString() : null;

    /// <summary>Ends the request's span and counts the request by outcome (<c>success</c>, <c>error</c>, <c>cancelled</c>).</summary>
    public void Finish(string outcome, ProviderException? error = null)
    {
        var deployment = result.Deployment;
        if (SwitchboardTelemetry.Requests.Enabled)
        {
            SwitchboardTelemetry.Requests.Add(1, new TagList
            {
                { GenAiAttributes.Route, MetricRoute(plan.Route, result.Route) },
                { GenAiAttributes.ProviderName, deployment?.ProviderType },
                { GenAiAttributes.RequestModel, deployment?.MetricModel },
                { GenAiAttributes.Outcome, outcome },
            });
        }

        if (Interlocked.Exchange(ref _activity, null) is not { } activity)
        {
            return;
        }

        activity.SetTag(GenAiAttributes.Outcome, outcome);
        activity.SetTag(GenAiAttributes.ProviderName, deployment?.ProviderType);
        activity.SetTag(GenAiAttributes.ResponseModel, deployment?.Model);
        activity.SetTag(GenAiAttributes.InputTokens, result.Usage?.InputTokenCount);
        activity.SetTag(GenAiAttributes.OutputTokens, result.Usage?.OutputTokenCount);
        activity.SetTag(GenAiAttributes.CostUsd, result.CostUsd is { } c ? (double)c : null);
        activity.SetTag(GenAiAttributes.Attempt, result.Attempts.Count);
        if (error is not null)
        {
            activity.SetTag(GenAiAttributes.ErrorType, error.Kind.ToString());
            activity.SetStatus(ActivityStatusCode.Error, error.Kind.ToString());
        }

        activity.Dispose();
    }

    /// <summary>The route as a metric label: a direct request for an unlisted model counts as <c>other</c>.</summary>
    private static string? MetricRoute(Route route, string? name)
    {
        foreach (var d in route.Deployments)
        {
            if (!d.IsListed)
            {
                return Deployment.UnlistedModel;
            }
        }

        return name;
    }

    private static Activity? StartActivity(RoutePlan plan, RoutingResult result, string operation)
    {
        if (!SwitchboardTelemetry.Source.HasListeners())
        {
            return null; // no span name or tags built for nobody
        }

        var activity = SwitchboardTelemetry.Source.StartActivity($"{operation} {plan.Route.Name}", ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(GenAiAttributes.OperationName, operation);
            activity.SetTag(GenAiAttributes.RequestModel, plan.Route.Name);
            activity.SetTag(GenAiAttributes.Route, plan.Route.Name);
            activity.SetTag(GenAiAttributes.Task, plan.Task);
            activity.SetTag(GenAiAttributes.Reason, plan.Reason);
            activity.SetTag("switchboard.request_id", result.RequestId);
        }

        return activity;
    }

    public int NextAttemptNumber() => result.StartAttempt();

    public AttemptRecord Record(AttemptRecord attempt)
    {
        result.Add(attempt);
        foreach (var observer in observers)
        {
            try
            {
                observer.OnAttempt(attempt);
            }
            catch (Exception ex)
            {
                RouterLog.ObserverFailed(logger, observer.GetType().Name, ex);
            }
        }

        return attempt;
    }

    /// <summary>The deployment to try next, after the last one's failure (if any); null when the request must stop.</summary>
    public Deployment? NextCandidate()
    {
        if (Budget.Remaining <= 0)
        {
            return null;
        }

        _current = Candidates.Next(_current is null ? null : LastError, _current);
        return _current;
    }
}
