using Microsoft.Extensions.AI;

using Switchboard.Chat;

namespace Switchboard.Gateway.Edges;

/// <summary>A client request mapped to the canonical model: the requested model (alias or name), messages and options.</summary>
/// <param name="Model">The <c>model</c> field as sent (also copied to <see cref="ChatOptions.ModelId"/>).</param>
/// <param name="Messages">The conversation, system prompt first when the protocol carries one.</param>
/// <param name="Options">Sampling, tools and output options; fields the edge does not map ride in <see cref="ChatOptions.AdditionalProperties"/> as <see cref="System.Text.Json.JsonElement"/>.</param>
/// <param name="Stream">Whether the client asked for a stream.</param>
/// <param name="IncludeUsage">Whether the stream should end with usage (OpenAI <c>stream_options.include_usage</c>; always true for Anthropic).</param>
internal sealed record EdgeRequest(string? Model, List<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage)
{
    /// <summary>What the edge's writers need from its parser beyond the canonical request (e.g. the Responses edge's tool name table).</summary>
    public object? State { get; init; }

    /// <summary>Routing hints the body carried (the original chat endpoint's <c>task_type</c> and <c>prefer_cost</c>); headers override them.</summary>
    public RouteOptions? Route { get; init; }
}
