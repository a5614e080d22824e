using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Edges.Responses;
using Switchboard.Gateway.Edges.Responses.Storage;

namespace Switchboard.Gateway.Http;

/// <summary>
/// <c>POST /v1/responses/compact</c>: one summary turn through the same pipeline as every chat request (routing, guardrails,
/// budgets, cache, ledger), answered as OpenAI's compacted response: the conversation's user messages, then one
/// <c>compaction</c> item carrying the summary (<see cref="ResponsesCompaction"/>). Never streamed, never stored.
/// </summary>
/// <remarks>
/// The body is <c>model</c> (required), <c>input</c> (a string or items, mapped like <c>/v1/responses</c>; optional when
/// <c>previous_response_id</c> is given), <c>instructions</c> and <c>previous_response_id</c>; other fields (<c>tools</c>,
/// <c>reasoning</c>, <c>prompt_cache_key</c>, …) are accepted and ignored, since the summary turn declares no tools.
/// </remarks>
internal sealed class ResponsesCompactProtocol(ResponsesState state) : IEdgeProtocol
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);
    private static readonly JsonElement NoInput = JsonDocument.Parse("[]").RootElement.Clone();

    public EdgeRequest Parse(ReadOnlyMemory<byte> body)
    {
        using var document = EdgeJson.ParseObject(body,
            "We could not parse the JSON body of your request. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.",
            "The request body must be a JSON object.");
        var root = document.RootElement;
        if (!EdgeScope.TryGet(root, "model", out _))
        {
            throw new EdgeRequestException("you must provide a model parameter", "model");
        }

        var model = Top.RequiredString(root, "model");
        var context = new ResponsesEdgeContext { Store = false, Input = NoInput };
        var messages = new List<ChatMessage>();
        if (Top.String(root, "instructions") is { Length: > 0 } instructions)
        {
            context.Instructions = instructions;
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        context.PreviousResponseId = Top.String(root, "previous_response_id");
        if (EdgeScope.TryGet(root, "input", out var input) && input.ValueKind != JsonValueKind.Null)
        {
            ResponsesEdgeInputMapper.AddInput(messages, input, context.Tools);
            context.Input = input.Clone();
        }

        if (context.PreviousResponseId is null)
        {
            ResponsesEdgeRequestMapper.CheckAnswerable(messages);
        }

        return new EdgeRequest(model, messages, new ChatOptions { ModelId = model }, Stream: false, IncludeUsage: true) { State = context };
    }

    /// <summary>Resolves <c>item_reference</c>s and <c>previous_response_id</c> like <c>/v1/responses</c>, then makes the request the summary turn.</summary>
    public async ValueTask PrepareAsync(EdgeRequest request, CallerIdentity caller, CancellationToken cancellationToken)
    {
        await state.PrepareAsync(request, ContextOf(request), caller, cancellationToken);
        ResponsesCompaction.ToSummaryTurn(request.Messages);
    }

    public byte[] WriteResponse(ChatResponse response, EdgeRequest request, string requestId, long created)
    {
        var context = ContextOf(request);
        var inputItems = ResponsesStoredItems.InputItems(context.PriorItems, context.Input ?? NoInput, context.ResponseId);
        return ResponsesCompaction.Write(context.ResponseId, created, inputItems, response.Text, response.Usage);
    }

    /// <summary>Unreachable: <see cref="Parse"/> never asks for a stream (the compact endpoint answers one JSON object).</summary>
    public IEdgeStream CreateStream(EdgeRequest request, string requestId, long created, long estimatedInputTokens) =>
        throw new UnreachableException("POST /v1/responses/compact is never streamed.");

    public byte[] WriteError(GatewayError error) => OpenAIEdgeResponseWriter.WriteError(error.Message, error.Type, error.Code, error.Param);

    private static ResponsesEdgeContext ContextOf(EdgeRequest request) => (ResponsesEdgeContext)request.State!;
}
