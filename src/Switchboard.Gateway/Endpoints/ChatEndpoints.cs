using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Switchboard.Gateway.Http;

namespace Switchboard.Gateway.Endpoints;

/// <summary>The chat endpoints: OpenAI-compatible, Anthropic-compatible, and the original design's stream.</summary>
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
        app.MapPost("/v1/responses", (HttpContext http, ChatHandler handler) => handler.HandleAsync(http, ResponsesProtocol.Instance))
            .WithName("Responses").WithSummary("OpenAI Responses, streaming and not, bridged to any provider.")
            .Accepts<object>("application/json");
        app.MapPost("/v1/messages/count_tokens", (HttpContext http, TokenCountHandler handler) =>
                handler.HandleAsync(http, AnthropicProtocol.Instance, AnthropicProtocol.ParseCount, AnthropicProtocol.WriteCount))
            .WithName("CountTokens").WithSummary("Anthropic token count (the gateway's estimate) for a model on any provider.")
            .Accepts<object>("application/json");
        app.MapPost("/api/chat/stream", (HttpContext http, ChatHandler handler) => handler.HandleAsync(http, ChatStreamProtocol.Instance))
            .WithName("ChatStream").WithSummary("The original design's SSE stream endpoint.")
            .Accepts<ChatStreamRequest>("application/json");
        app.MapEmbeddingEndpoints();
        return app;
    }
}
