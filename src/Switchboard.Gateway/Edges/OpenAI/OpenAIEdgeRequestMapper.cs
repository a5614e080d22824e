using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>Maps an OpenAI Chat Completions request body to the canonical model, validating it the way OpenAI does. Pure.</summary>
/// <remarks>Fields this mapper does not map (known or not) are kept in <see cref="ChatOptions.AdditionalProperties"/>
/// as <see cref="JsonElement"/> so an OpenAI-protocol upstream can receive them unchanged.</remarks>
internal static class OpenAIEdgeRequestMapper
{
    /// <summary>Marks tool and response schemas strict (Microsoft.Extensions.AI's convention, read by the OpenAI adapter).</summary>
    public const string StrictKey = "strictJsonSchema";

    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    public static EdgeRequest Parse(ReadOnlyMemory<byte> body)
    {
        using var document = EdgeJson.ParseObject(body,
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
            "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
            "The request body must be a JSON object.");
        var root = document.RootElement;

        if (!EdgeScope.TryGet(root, "model", out _))
        {
            throw new EdgeRequestException("you must provide a model parameter", "model");
        }

        var model = Top.RequiredString(root, "model");
        var messagesElement = Top.Expect(Top.Require(root, "messages"), "messages", EdgeJsonType.Array);
        if (messagesElement.GetArrayLength() == 0)
        {
            throw EdgeErrorStyle.OpenAI.Invalid("messages", "empty array. Expected an array with minimum length 1, but got an empty array instead.");
        }

        var messages = OpenAIEdgeMessageMapper.ToMessages(messagesElement);
        var options = new ChatOptions { ModelId = model };
        var stream = false;
        var includeUsage = false;
        long? maxTokens = null, maxCompletionTokens = null;

        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "model" or "messages":
                    break;
                case "temperature":
                    options.Temperature = (float?)Top.Number(root, "temperature", 0, 2);
                    break;
                case "top_p":
                    options.TopP = (float?)Top.Number(root, "top_p", 0, 1);
                    break;
                case "frequency_penalty":
                    options.FrequencyPenalty = (float?)Top.Number(root, "frequency_penalty", -2, 2);
                    break;
                case "presence_penalty":
                    options.PresencePenalty = (float?)Top.Number(root, "presence_penalty", -2, 2);
                    break;
                case "seed":
                    options.Seed = Top.Integer(root, "seed");
                    break;
                case "max_tokens":
                    maxTokens = Top.Integer(root, "max_tokens", 1, int.MaxValue);
                    break;
                case "max_completion_tokens":
                    maxCompletionTokens = Top.Integer(root, "max_completion_tokens", 1, int.MaxValue);
                    break;
                case "n":
                    if (Top.Integer(root, "n", 1) is > 1)
                    {
                        throw EdgeErrorStyle.OpenAI.Invalid("n", "only n=1 is supported by this gateway.");
                    }

                    break;
                case "stop":
                    options.StopSequences = ToStop(property.Value);
                    break;
                case "stream":
                    stream = Top.Boolean(root, "stream") ?? false;
                    break;
                case "stream_options":
                    if (Top.Object(root, "stream_options") is { } streamOptions)
                    {
                        includeUsage = Top.At("stream_options").Boolean(streamOptions, "include_usage") ?? false;
                    }

                    break;
                case "parallel_tool_calls":
                    options.AllowMultipleToolCalls = Top.Boolean(root, "parallel_tool_calls");
                    EdgeJson.Keep(options, property);
                    break;
                case "tools":
                    OpenAIEdgeToolMapper.AddTools(options, property.Value);
                    break;
                case "tool_choice":
                    options.ToolMode = OpenAIEdgeToolMapper.ToToolMode(property.Value);
                    break;
                case "response_format":
                    options.ResponseFormat = OpenAIEdgeToolMapper.ToResponseFormat(options, property.Value);
                    break;
                default:
                    // user, logprobs, logit_bias, service_tier, metadata, store, reasoning_effort and anything newer.
                    EdgeJson.Keep(options, property);
                    break;
            }
        }

        options.MaxOutputTokens = (int?)(maxCompletionTokens ?? maxTokens);
        // reasoning_effort stays as sent for an OpenAI upstream; the canonical effort carries it to the others.
        if (options.AdditionalProperties?.TryGetValue("reasoning_effort", out var sent) == true && sent is JsonElement { ValueKind: JsonValueKind.String } name
            && ReasoningEfforts.FromName(name.GetString()) is { } effort)
        {
            options.Reasoning = new ReasoningOptions { Effort = effort };
        }

        return new EdgeRequest(model, messages, options, stream, stream && includeUsage);
    }

    private static List<string>? ToStop(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => [value.GetString()!],
        JsonValueKind.Array => Top.Strings(value, "stop"),
        _ => throw EdgeErrorStyle.OpenAI.WrongType("stop", EdgeJsonType.String, value),
    };
}
