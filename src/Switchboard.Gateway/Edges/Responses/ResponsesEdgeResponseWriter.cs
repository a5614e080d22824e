using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>Writes a canonical response as an OpenAI Responses <c>response</c> object. Pure.</summary>
internal static class ResponsesEdgeResponseWriter
{
    /// <summary>The response object for <paramref name="response"/>: text as one assistant message item, each tool call as its own item.</summary>
    public static byte[] WriteResponse(ChatResponse response, ResponsesEdgeContext context, string model, string id, long created)
    {
        var items = ToItems(response, context.Tools, id);
        var (status, reason) = ResponsesEdgeWire.StatusOf(response.FinishReason);
        var snapshot = new ResponsesEdgeWire.Snapshot(id, created, model, status, items, response.Usage, reason);
        return EdgeJsonWriter.Build((context, snapshot), static (w, s) => ResponsesEdgeWire.WriteResponse(w, s.context, s.snapshot));
    }

    /// <summary>
    /// The output items of a response, in order; consecutive text goes into one message item. Items an OpenAI upstream sent go
    /// back as sent; another provider's reasoning becomes a <c>reasoning</c> item with its text as the summary.
    /// </summary>
    public static List<ResponsesOutputItem> ToItems(ChatResponse response, ResponsesToolMap tools, string id)
    {
        var items = new List<ResponsesOutputItem>();
        ResponsesOutputItem? message = null;
        ResponsesOutputItem? reasoning = null;
        foreach (var content in response.Messages.SelectMany(m => m.Contents))
        {
            if (ResponsesOutputItem.Native(content, $"item_{id}_{items.Count}") is { } native)
            {
                message = reasoning = null;
                items.Add(native);
                continue;
            }

            switch (content)
            {
                case TextContent { Text: { Length: > 0 } text }:
                    reasoning = null;
                    if (message is null)
                    {
                        message = ResponsesOutputItem.Message($"msg_{id}_{items.Count}");
                        items.Add(message);
                    }

                    message.Text.Append(text);
                    break;
                case TextReasoningContent { Text: { Length: > 0 } thought }:
                    message = null;
                    if (reasoning is null)
                    {
                        reasoning = ResponsesOutputItem.Reasoning($"rs_{id}_{items.Count}");
                        items.Add(reasoning);
                    }

                    reasoning.Text.Append(thought);
                    break;
                case FunctionCallContent call:
                    message = reasoning = null;
                    items.Add(ResponsesOutputItem.Call(call, tools, id, items.Count));
                    break;
            }
        }

        return items;
    }
}
