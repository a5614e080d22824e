using System.Diagnostics;
using Switchboard.Chat;

namespace Switchboard.Telemetry;

/// <summary>Records every attempt as GenAI client metrics and Switchboard's attempt, fallback and cost counters.</summary>
public sealed class TelemetryObserver : IAttemptObserver
{
    public void OnAttempt(AttemptRecord attempt)
    {
        var d = attempt.Deployment;
        var outcome = attempt.Outcome switch
        {
            AttemptOutcome.Success => "success",
            AttemptOutcome.Cancelled => "cancelled",
            AttemptOutcome.Skipped => "skipped",
            _ => "error",
        };
        var errorType = attempt.ErrorKind?.ToString();
        // Label values stay a bounded set: an unlisted model (any provider/<name> the configuration does not list) is
        // counted as model "other", deployment "provider/other", route "other"; spans still carry the real names.
        var route = d.IsListed ? attempt.Route : Deployment.UnlistedModel;
        SwitchboardTelemetry.Attempts.Add(1, new TagList
        {
            { GenAiAttributes.Route, route },
            { GenAiAttributes.Deployment, d.StateKey },
            { GenAiAttributes.ProviderName, d.ProviderType },
            { GenAiAttributes.Outcome, outcome },
            { GenAiAttributes.ErrorType, errorType },
        });
        if (attempt.FallbackReason is { } reason)
        {
            SwitchboardTelemetry.Fallbacks.Add(1,
                new KeyValuePair<string, object?>(GenAiAttributes.Route, route),
                new KeyValuePair<string, object?>(GenAiAttributes.FallbackReason, reason));
        }

        if (attempt.Outcome == AttemptOutcome.Skipped)
        {
            if (attempt.ErrorKind is null)
            {
                SwitchboardTelemetry.RateLimitRejections.Add(1, new KeyValuePair<string, object?>(GenAiAttributes.Deployment, d.StateKey));
            }

            return;
        }

        var tags = new TagList
        {
            { GenAiAttributes.OperationName, attempt.Operation },
            { GenAiAttributes.ProviderName, d.ProviderType },
            { GenAiAttributes.RequestModel, d.MetricModel },
            { GenAiAttributes.ResponseModel, d.MetricModel },
        };
        if (errorType is not null)
        {
            tags.Add(GenAiAttributes.ErrorType, errorType);
        }

        SwitchboardTelemetry.OperationDuration.Record(attempt.Duration.TotalSeconds, tags);
        if (attempt.TimeToFirstToken is { } ttft && attempt.Streamed)
        {
            SwitchboardTelemetry.TimeToFirstChunk.Record(ttft.TotalSeconds, tags);
        }

        if (attempt.Usage?.InputTokenCount is { } input)
        {
            var t = tags;
            t.Add(GenAiAttributes.TokenType, "input");
            SwitchboardTelemetry.TokenUsage.Record(input, t);
        }

        if (attempt.Usage?.OutputTokenCount is { } output)
        {
            var t = tags;
            t.Add(GenAiAttributes.TokenType, "output");
            SwitchboardTelemetry.TokenUsage.Record(output, t);
        }

        if (attempt.CostUsd is { } cost && cost > 0)
        {
            SwitchboardTelemetry.CostUsd.Add((double)cost, new TagList { { GenAiAttributes.ProviderName, d.ProviderType }, { GenAiAttributes.RequestModel, d.MetricModel } });
        }
    }
}
