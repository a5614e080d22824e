using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>One provider's wire format: request parsing, replies, stream frames and error bodies.</summary>
internal interface IProviderProtocol
{
    /// <summary><c>openai</c>, <c>anthropic</c> or <c>gemini</c>.</summary>
    string Name { get; }

    /// <summary>Reads the request; throws <see cref="InvalidRequestException"/> for a body the provider would reject.</summary>
    ChatCall Parse(JsonObject body, string? pathModel, bool streamFromPath);

    /// <summary>Adds the provider's usual response headers (request id, rate limits).</summary>
    void AddHeaders(HttpResponse response, string requestId);

    /// <summary>The HTTP status this provider uses for an error kind.</summary>
    int StatusFor(string kind);

    /// <summary>The provider's error body for a status and kind.</summary>
    JsonObject ErrorBody(int status, string kind, string? message, string model, string requestId, FaultSpec fault);

    JsonObject Response(ChatCall call, Reply reply, string responseId, long created);

    StreamScript Stream(ChatCall call, Reply reply, string responseId, long created);

    /// <summary>The in-stream error frame sent by <c>error-after-chunks</c>.</summary>
    string InStreamError(string requestId);

    /// <summary>A frame whose JSON is broken, for <c>malformed</c>.</summary>
    string MalformedFrame();
}

/// <summary>A request body the provider would reject with a 400.</summary>
internal sealed class InvalidRequestException(string message) : Exception(message);
