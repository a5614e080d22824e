using System.Diagnostics;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Ledger;

namespace Switchboard.Embeddings;

/// <summary>
/// The ledger as the embedding pipeline's outermost layer, as <see cref="LedgerChatClient"/> is for chat: the router
/// records every attempt as it ends; this layer adds a cache hit's row and a refusal's attempt 0 (a budget), and returns
/// only once the request's records are flushed.
/// </summary>
public sealed class EmbeddingLedgerGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, LedgerWriter ledger, TimeProvider time)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(innerGenerator)
{
    /// <summary>The provider column of a cache hit without a known origin.</summary>
    private const string CacheProvider = "cache";

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var context = SwitchboardContext.Ensure(ref options);
        var started = Stopwatch.GetTimestamp();
        GeneratedEmbeddings<Embedding<float>> result;
        try
        {
            result = await base.GenerateAsync(values, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestRefusedException refused)
        {
            var latency = Stopwatch.GetElapsedTime(started);
            ledger.Append(new LedgerRecord
            {
                RequestId = context.RequestId,
                AttemptNumber = 0,
                Timestamp = time.GetUtcNow() - latency,
                KeyId = context.Caller?.KeyId,
                Route = options.ModelId,
                Task = context.Route.Task,
                Provider = refused.Refuser,
                Model = refused.Rule,
                Deployment = $"{refused.Refuser}/{refused.Rule}",
                CostUsd = 0m,
                Latency = latency,
                Outcome = refused.Outcome,
                ErrorKind = refused.Kind.ToString(),
                StatusCode = refused.StatusCode,
            });
            await ledger.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (context.CacheStatus == CacheStatus.Hit)
        {
            var hit = context.Cache;
            ledger.Append(new LedgerRecord
            {
                RequestId = context.RequestId,
                AttemptNumber = 1,
                Timestamp = time.GetUtcNow(),
                KeyId = context.Caller?.KeyId,
                Route = options.ModelId,
                Task = context.Route.Task,
                Provider = hit?.Provider ?? CacheProvider,
                Model = hit?.Model ?? "",
                Deployment = $"{hit?.Provider}/{hit?.Model}",
                CacheHit = true,
                CostUsd = 0m,
                CostSavedUsd = hit?.SavedCostUsd,
                Latency = Stopwatch.GetElapsedTime(started),
                Outcome = LedgerOutcomes.Success,
            });
        }

        await ledger.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }
}
