using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Http;

namespace Switchboard.Gateway.Endpoints;

/// <summary>The chat endpoints: OpenAI-compatible (Chat Completions, Responses and its stored responses), Anthropic-compatible, and the original design's stream.</summary>
internal static class ChatEndpoints
{
    public static IEndpointRouteBuilder MapChatEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/chat/completions", (HttpContext http, ChatHandler handler) => handler.HandleAsync(http, OpenAIProtocol.Instance))
            .WithName("ChatCompletions").WithSummary("OpenAI Chat Completions, streaming and not, routed across providers.")
            .Accepts<object>("application/json");
        app.MapPost("/v1/messages", (HttpContext http, ChatHandler handler) => handler.HandleAsync(http, AnthropicProtocol.For(http.Request)))
            .WithName("Messages").WithSummary("Anthropic Messages, streaming and not, routed across providers.")
            .Accepts<object>("application/json");
        app.MapPost("/v1/responses", (HttpContext http, ChatHandler handler, ResponsesProtocol protocol) => handler.HandleAsync(http, protocol))
            .WithName("Responses").WithSummary("OpenAI Responses, streaming and not, bridged to any provider.")
            .Accepts<object>("application/json");
        app.MapPost("/v1/responses/input_tokens", (HttpContext http, TokenCountHandler handler, ResponsesProtocol protocol) =>
                handler.HandleAsync(http, protocol, ResponsesProtocol.ParseCount, ResponsesProtocol.WriteCount))
            .WithName("ResponsesInputTokens").WithSummary("OpenAI Responses input token count (the provider's own when it has one, else the gateway's estimate) for a model on any provider.")
            .Accepts<object>("application/json");
        app.MapPost("/v1/responses/compact", (HttpContext http, ChatHandler handler, ResponsesCompactProtocol protocol) => handler.HandleAsync(http, protocol))
            .WithName("CompactResponse").WithSummary("OpenAI Responses compaction: one summary turn on any provider, answered as a compaction item.")
            .Accepts<object>("application/json");
        app.MapGet("/v1/responses/{id}", (HttpContext http, string id, StoredResponsesHandler handler) => handler.GetAsync(http, id))
            .WithName("GetResponse").WithSummary("A stored response (made with store true by the same key).");
        app.MapDelete("/v1/responses/{id}", (HttpContext http, string id, StoredResponsesHandler handler) => handler.DeleteAsync(http, id))
            .WithName("DeleteResponse").WithSummary("Deletes a stored response.");
        app.MapGet("/v1/responses/{id}/input_items", (HttpContext http, string id, StoredResponsesHandler handler) => handler.InputItemsAsync(http, id))
            .WithName("ListResponseInputItems").WithSummary("The input items of a stored response, paged (limit, order, after).");
        app.MapPost("/v1/messages/count_tokens", (HttpContext http, TokenCountHandler handler) =>
            {
                var protocol = AnthropicProtocol.For(http.Request);
                return handler.HandleAsync(http, protocol, protocol.ParseCount, AnthropicProtocol.WriteCount);
            })
            .WithName("CountTokens").WithSummary("Anthropic token count (the provider's own when it has one, else the gateway's estimate) for a model on any provider.")
            .Accepts<object>("application/json");
        app.MapPost("/api/chat/stream", (HttpContext http, ChatHandler handler) => handler.HandleAsync(http, ChatStreamProtocol.Instance))
            .WithName("ChatStream").WithSummary("The original design's SSE stream endpoint.")
            .Accepts<ChatStreamRequest>("application/json");
        app.MapEmbeddingEndpoints();
        return app;
    }
}
