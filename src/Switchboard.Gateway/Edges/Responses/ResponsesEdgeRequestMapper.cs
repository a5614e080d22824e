using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.Responses;

/// <summary>Maps an OpenAI Responses request body (<c>POST /v1/responses</c>) to the canonical model, validating it the way OpenAI does. Pure.</summary>
/// <remarks>
/// Besides the canonical request, what only an OpenAI Responses upstream can read rides along for the OpenAI adapter (which then
/// calls <c>/responses</c> natively; every other provider ignores it): the marker <see cref="PassThroughKeys.OpenAIResponses"/>, each
/// top-level field as sent under <see cref="PassThroughKeys.OpenAIResponsesFieldPrefix"/> (<c>include</c>, <c>prompt_cache_key</c>,
/// <c>tools</c>, <c>client_metadata</c>, and anything newer; the adapter never forwards <c>store</c>, <c>previous_response_id</c> or
/// <c>conversation</c>), and each call and reasoning item as sent under <see cref="PassThroughKeys.OpenAIResponsesItem"/>.
/// <c>store</c> and <c>previous_response_id</c> are the gateway's own (stored responses).
/// </remarks>
internal static class ResponsesEdgeRequestMapper
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.OpenAI, null);

    /// <param name="body">The request body.</param>
    /// <param name="forCount">A <c>POST /v1/responses/input_tokens</c> body, where <c>model</c> is optional.</param>
    public static EdgeRequest Parse(ReadOnlyMemory<byte> body, bool forCount = false)
    {
        using var document = EdgeJson.ParseObject(body,
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. " +
            "The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
            "The request body must be a JSON object.");
        var root = document.RootElement;

        if (!forCount && !EdgeScope.TryGet(root, "model", out _))
        {
            throw new EdgeRequestException("you must provide a model parameter", "model");
        }

        var model = forCount ? Top.String(root, "model") : Top.RequiredString(root, "model");
        var context = new ResponsesEdgeContext();
        var options = new ChatOptions { ModelId = model };

        // Tools first: input items and tool_choice name tools by the client's names, mapped through the table built here.
        if (Top.Array(root, "tools") is { } tools)
        {
            ResponsesEdgeToolMapper.AddTools(options, tools, context.Tools);
            context.ToolsJson = tools.Clone();
        }

        var messages = new List<ChatMessage>();
        if (Top.String(root, "instructions") is { Length: > 0 } instructions)
        {
            context.Instructions = instructions;
            messages.Add(new ChatMessage(ChatRole.System, instructions));
        }

        // The previous response's items are put before the input once the caller is known (ResponsesState.PrepareAsync).
        context.PreviousResponseId = Top.String(root, "previous_response_id");
        var input = Top.Require(root, "input");
        ResponsesEdgeInputMapper.AddInput(messages, input, context.Tools);
        context.Input = input.Clone();
        if (context.PreviousResponseId is null)
        {
            CheckAnswerable(messages);
        }

        var stream = false;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "temperature":
                    options.Temperature = (float?)(context.Temperature = Top.Number(root, "temperature", 0, 2));
                    break;
                case "top_p":
                    options.TopP = (float?)(context.TopP = Top.Number(root, "top_p", 0, 1));
                    break;
                case "max_output_tokens":
                    options.MaxOutputTokens = (int?)(context.MaxOutputTokens = Top.Integer(root, "max_output_tokens", 16, int.MaxValue));
                    break;
                case "stream":
                    stream = Top.Boolean(root, "stream") ?? false;
                    break;
                case "parallel_tool_calls":
                    options.AllowMultipleToolCalls = Top.Boolean(root, "parallel_tool_calls");
                    context.ParallelToolCalls = options.AllowMultipleToolCalls ?? true;
                    break;
                case "tool_choice":
                    if (property.Value.ValueKind != JsonValueKind.Null)
                    {
                        options.ToolMode = ResponsesEdgeToolMapper.ToToolMode(options, property.Value, context.Tools);
                        context.ToolChoiceJson = property.Value.Clone();
                    }

                    break;
                case "text":
                    if (Top.Object(root, "text") is { } text)
                    {
                        options.ResponseFormat = ResponsesEdgeToolMapper.ToResponseFormat(options, text);
                        context.TextJson = text.Clone();
                    }

                    break;
                case "reasoning":
                    if (Top.Object(root, "reasoning") is { } reasoning)
                    {
                        ApplyReasoning(options, context, reasoning);
                    }

                    break;
                case "metadata":
                    context.MetadataJson = Top.Object(root, "metadata")?.Clone();
                    break;
                case "store":
                    context.Store = Top.Boolean(root, "store") ?? true;
                    break;
                case "user":
                    context.User = Top.String(root, "user");
                    break;
                case "prompt_cache_key":
                    context.PromptCacheKey = Top.String(root, "prompt_cache_key");
                    break;
                default:
                    // include, stream_options, truncation, service_tier, client_metadata, … accepted and ignored.
                    break;
            }
        }

        KeepFields(options, root, context);
        return new EdgeRequest(model, messages, options, stream, IncludeUsage: true) { State = context };
    }

    /// <summary>The marker and every top-level field but <c>input</c>, as sent, for a native Responses upstream (reusing the clones already kept).</summary>
    private static void KeepFields(ChatOptions options, JsonElement root, ResponsesEdgeContext context)
    {
        var extra = options.AdditionalProperties ??= [];
        extra[PassThroughKeys.OpenAIResponses] = true;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is "input" or "instructions" or "model" or "stream")
            {
                continue;
            }

            extra[PassThroughKeys.OpenAIResponsesFieldPrefix + property.Name] = property.Name switch
            {
                "tools" when context.ToolsJson is { } tools => tools,
                "tool_choice" when context.ToolChoiceJson is { } choice => choice,
                "text" when context.TextJson is { } text => text,
                _ => property.Value.Clone(),
            };
        }
    }

    /// <summary>Refuses an input (the earlier turns' items included) with nothing to answer.</summary>
    public static void CheckAnswerable(List<ChatMessage> messages)
    {
        if (messages.Count == 0 || messages.TrueForAll(m => m.Role == ChatRole.System))
        {
            throw Top.Invalid("input", "the input holds no message to answer; send at least one user message or tool output.");
        }
    }

    private static void ApplyReasoning(ChatOptions options, ResponsesEdgeContext context, JsonElement reasoning)
    {
        var scope = Top.At("reasoning");
        context.ReasoningSummary = scope.String(reasoning, "summary");
        if (scope.String(reasoning, "effort") is not { } effort)
        {
            return;
        }

        context.ReasoningEffort = effort;
        options.Reasoning = new ReasoningOptions
        {
            Effort = effort switch
            {
                "none" => ReasoningEffort.None,
                "minimal" or "low" => ReasoningEffort.Low,
                "medium" => ReasoningEffort.Medium,
                "high" => ReasoningEffort.High,
                "xhigh" => ReasoningEffort.ExtraHigh,
                _ => throw scope.Invalid("effort", $"value must be one of 'none', 'minimal', 'low', 'medium', 'high' or 'xhigh', but got '{effort}' instead."),
            },
        };
    }
}
