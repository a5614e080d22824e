using System.Diagnostics;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Ledger;

namespace Switchboard.Embeddings;

/// <summary>
/// The ledger as the embedding pipeline's outermost layer, as <see cref="LedgerChatClient"/> is for chat: the router
/// records every attempt as it ends; this layer adds a cache hit's row, a refusal's attempt 0 (a budget, a guardrail) and
/// the guardrails' flag row, and returns only once the request's records are flushed.
/// </summary>
public sealed class EmbeddingLedgerGenerator(IEmbeddingGenerator<string, Embedding<float>> innerGenerator, LedgerWriter ledger, TimeProvider time)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(innerGenerator)
{
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
            ledger.Append(PipelineRecords.Refused(context, options.ModelId, refused, time.GetUtcNow(), Stopwatch.GetElapsedTime(started)));
            await ledger.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await PipelineRecords.CompleteAsync(ledger, context, options.ModelId, time.GetUtcNow(), Stopwatch.GetElapsedTime(started)).ConfigureAwait(false);
        return result;
    }
}
