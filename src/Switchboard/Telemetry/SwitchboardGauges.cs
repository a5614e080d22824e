using System.Diagnostics.Metrics;
using Switchboard.Hosting;
using Switchboard.Ledger;
using Switchboard.RateLimits;

namespace Switchboard.Telemetry;

/// <summary>
/// Gauges read when a metrics exporter collects: each deployment's circuit state and the ledger's backlog. They live on a
/// meter from <see cref="IMeterFactory"/>, so they belong to this service provider and end with it.
/// </summary>
public sealed class SwitchboardGauges
{
    public SwitchboardGauges(IMeterFactory meters, SwitchboardHealth health, LedgerWriter? ledger = null, ISharedRateLimitStore? rateLimits = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        ArgumentNullException.ThrowIfNull(health);
        var meter = meters.Create(SwitchboardTelemetry.Name, "1.0.0");
        meter.CreateObservableGauge("switchboard.circuit.state",
            () => health.Deployments().Select(d => new Measurement<int>(CircuitValue(d.Circuit),
                new KeyValuePair<string, object?>(GenAiAttributes.Deployment, d.Deployment))),
            "{state}", "Circuit state per deployment: 0 closed, 1 half-open, 2 open, 3 isolated.");
        if (rateLimits is not null)
        {
            meter.CreateObservableGauge("switchboard.rate_limit.degraded", () => rateLimits.IsDegraded ? 1 : 0, "{state}",
                "1 while the shared (Redis) rate limits are unavailable and each replica enforces its limits locally.");
        }

        if (ledger is not null)
        {
            meter.CreateObservableGauge("switchboard.ledger.pending", () => ledger.PendingRecords, "{record}",
                "Ledger records accepted but not yet in the store (queue, in flight and local journal).");
            meter.CreateObservableGauge("switchboard.ledger.journal.bytes", () => ledger.Journal.PendingBytes, "By",
                "Bytes of the local ledger journal not yet drained into the store (bounded by Switchboard:Ledger:JournalMaxBytes).");
            meter.CreateObservableGauge("switchboard.ledger.journal.available", () => ledger.JournalAvailable ? 1 : 0, "{state}",
                "1 while the ledger journal can be written; 0 while records are held in memory instead.");
            meter.CreateObservableCounter("switchboard.ledger.lost", () => ledger.LostRecords, "{record}",
                "Ledger records dropped because neither the store, the journal nor the bounded memory could take them.");
        }
    }

    public static int CircuitValue(string circuit) => circuit switch
    {
        "half-open" => 1,
        "open" => 2,
        "isolated" => 3,
        _ => 0,
    };
}
