using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.Responses.Storage;

/// <summary>
/// The Responses edge's state: resolves <c>item_reference</c> items and <c>previous_response_id</c> before the pipeline runs
/// (the stored items go before the new input), and stores a response before its completion (or its failure) reaches the
/// client (so the id the client receives can be read or chained from at once). Stored responses belong to the caller that made them.
/// </summary>
internal sealed partial class ResponsesState(IResponseStore store, IOptions<ResponseStoreOptions> options, TimeProvider time,
    ILogger<ResponsesState> logger)
{
    /// <summary>Whether responses are stored at all (<see cref="ResponseStoreOptions.Enabled"/>).</summary>
    public bool Enabled => options.Value.Enabled;

    public IResponseStore Store => store;

    /// <summary>
    /// Records the owner, turns storing off when it is disabled, and puts the previous response's input and output items
    /// before the request's own input (after its <c>instructions</c>, which are not carried over).
    /// </summary>
    /// <exception cref="EdgeRequestException"><c>previous_response_not_found</c>: unknown, expired, another caller's, or storing is off.</exception>
    public async ValueTask PrepareAsync(EdgeRequest request, ResponsesEdgeContext context, CallerIdentity caller, CancellationToken cancellationToken)
    {
        context.Owner = caller.Id;
        context.Store &= Enabled;
        await ResolveReferencesAsync(request, context, caller.Id, cancellationToken);
        if (context.PreviousResponseId is not { } previous)
        {
            return;
        }

        var stored = Enabled ? await store.GetAsync(previous, caller.Id, cancellationToken) : null;
        if (stored is null)
        {
            throw new EdgeRequestException(
                $"Previous response with id '{previous}' not found. It may have expired, been deleted, been made with store=false, or belong to another key.",
                "previous_response_id") { Code = "previous_response_not_found" };
        }

        if (stored.Status == "failed")
        {
            // Its output broke off: continuing from it would build on a partial answer. Continue from the turn before it instead.
            throw new EdgeRequestException(
                $"Previous response with id '{previous}' failed and cannot be continued; send its input again, or chain from the response before it.",
                "previous_response_id") { Code = "previous_response_not_found" };
        }

        context.PriorItems = ResponsesStoredItems.Chain(stored);
        using var prior = JsonDocument.Parse(context.PriorItems);
        var earlier = new List<ChatMessage>();
        ResponsesEdgeInputMapper.AddInput(earlier, prior.RootElement, context.Tools);
        request.Messages.InsertRange(context.Instructions is null ? 0 : 1, earlier);
        ResponsesEdgeRequestMapper.CheckAnswerable(request.Messages);
    }

    /// <summary>
    /// Replaces each <c>item_reference</c> placeholder with the messages of the item it names, looked up among the caller's
    /// stored items, and the reference in the stored input with the item itself (what <c>input_items</c> lists and a chain replays).
    /// </summary>
    /// <exception cref="EdgeRequestException">An id no unexpired response of this caller holds (unknown and another key's alike).</exception>
    private async ValueTask ResolveReferencesAsync(EdgeRequest request, ResponsesEdgeContext context, string owner, CancellationToken cancellationToken)
    {
        Dictionary<int, string>? resolved = null;
        for (var i = 0; i < request.Messages.Count; i++)
        {
            if (ResponsesItemReference.Of(request.Messages[i]) is not { } reference)
            {
                continue;
            }

            var json = Enabled ? await store.GetItemAsync(reference.Id, owner, cancellationToken) : null;
            if (json is null)
            {
                throw new EdgeRequestException(
                    $"Item with id '{reference.Id}' not found. Items can be referenced only from responses this key stored (store: true) that have not expired or been deleted.",
                    reference.Param);
            }

            using var item = JsonDocument.Parse("[" + json + "]");
            var messages = new List<ChatMessage>();
            ResponsesEdgeInputMapper.AddInput(messages, item.RootElement, context.Tools);
            request.Messages.RemoveAt(i);
            request.Messages.InsertRange(i, messages);
            i += messages.Count - 1;
            (resolved ??= [])[reference.InputIndex] = json;
        }

        if (resolved is not null && context.Input is { ValueKind: JsonValueKind.Array } input)
        {
            context.Input = ResponsesStoredItems.Replace(input, resolved);
        }
    }

    /// <summary>
    /// Stores the response object <paramref name="response"/> (exactly as sent) with its input items when the request asked
    /// for it. Never fails the answer: a response over the size cap, or a store that is down, is logged and not stored.
    /// </summary>
    public async ValueTask SaveAsync(ResponsesEdgeContext context, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (!context.Store || context.Owner is not { } owner || context.Input is not { } input)
        {
            return;
        }

        try
        {
            var stored = ToStored(context, owner, input, response);
            var max = options.Value.MaxStoredBytes;
            if (stored.Size > max)
            {
                LogTooLarge(logger, context.ResponseId, stored.Size, max);
                return;
            }

            if (!await store.SaveAsync(stored, cancellationToken))
            {
                LogDuplicate(logger, context.ResponseId);
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, context.ResponseId, ex);
        }
    }

    private StoredResponse ToStored(ResponsesEdgeContext context, string owner, JsonElement input, ReadOnlyMemory<byte> response)
    {
        using var document = JsonDocument.Parse(response);
        var root = document.RootElement;
        long? inputTokens = null, outputTokens = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            inputTokens = usage.TryGetProperty("input_tokens", out var i) && i.TryGetInt64(out var iv) ? iv : null;
            outputTokens = usage.TryGetProperty("output_tokens", out var o) && o.TryGetInt64(out var ov) ? ov : null;
        }

        var created = root.TryGetProperty("created_at", out var c) && c.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : time.GetUtcNow();
        var now = time.GetUtcNow();
        var status = root.TryGetProperty("status", out var s) ? s.GetString() ?? "completed" : "completed";
        var inputItems = ResponsesStoredItems.InputItems(context.PriorItems, input, context.ResponseId);
        return new StoredResponse(context.ResponseId, owner, created, now.AddDays(options.Value.RetentionDays),
            root.TryGetProperty("model", out var m) ? m.GetString() : null, status,
            inputTokens, outputTokens, Encoding.UTF8.GetString(response.Span), inputItems)
        {
            // A failed response's items are not offered to item_reference: its output broke off.
            Items = status == "failed" ? [] : ResponsesStoredItems.Indexed(inputItems, ResponsesStoredItems.Count(context.PriorItems), response.Span),
        };
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Warning,
        Message = "Response {ResponseId} not stored: {Size} bytes is over Switchboard:Responses:MaxStoredBytes ({Max}); it was answered, but previous_response_id cannot chain from it")]
    private static partial void LogTooLarge(ILogger logger, string responseId, long size, long max);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Response {ResponseId} not stored: a response with that id already exists")]
    private static partial void LogDuplicate(ILogger logger, string responseId);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error,
        Message = "Response {ResponseId} not stored: the response store failed; it was answered, but previous_response_id cannot chain from it")]
    private static partial void LogFailed(ILogger logger, string responseId, Exception exception);
}
