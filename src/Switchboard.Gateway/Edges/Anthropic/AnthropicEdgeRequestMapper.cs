using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Maps an Anthropic Messages request body to the canonical model, validating it the way Anthropic does. Pure.</summary>
/// <remarks><c>thinking</c> and fields this mapper does not know are kept in <see cref="ChatOptions.AdditionalProperties"/> as
/// <see cref="JsonElement"/> under <see cref="PassThroughKeys.AnthropicFieldPrefix"/>: only an Anthropic upstream receives them.</remarks>
internal static class AnthropicEdgeRequestMapper
{
    private static readonly EdgeScope Top = new(EdgeErrorStyle.Anthropic, null);

    /// <param name="body">The request body.</param>
    /// <param name="forCount">A <c>count_tokens</c> body: <c>max_tokens</c> is optional.</param>
    /// <param name="beta">The client's <c>anthropic-beta</c> header, kept for an Anthropic upstream.</param>
    public static EdgeRequest Parse(ReadOnlyMemory<byte> body, bool forCount = false, string? beta = null, string? version = null)
    {
        using var document = EdgeJson.ParseObject(body, "The request body is not valid JSON.", "The request body must be a JSON object.");
        var root = document.RootElement;

        var model = Top.RequiredString(root, "model");
        var maxTokens = Top.Integer(root, "max_tokens", 1, int.MaxValue) ?? (forCount ? null : throw Top.Missing("max_tokens"));
        var messagesElement = Top.Expect(Top.Require(root, "messages"), "messages", EdgeJsonType.Array);
        if (messagesElement.GetArrayLength() == 0)
        {
            throw Top.Invalid("messages", "at least one message is required");
        }

        var messages = new List<ChatMessage>(messagesElement.GetArrayLength() + 1);
        if (EdgeScope.TryGet(root, "system", out var system))
        {
            messages.Add(AnthropicEdgeMessageMapper.ToSystemMessage(system));
        }

        AnthropicEdgeMessageMapper.AddMessages(messages, messagesElement);

        var options = new ChatOptions { ModelId = model, MaxOutputTokens = (int?)maxTokens };
        var stream = false;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "model" or "max_tokens" or "messages" or "system":
                    break;
                case "temperature":
                    options.Temperature = (float?)Top.Number(root, "temperature", 0, 1);
                    break;
                case "top_p":
                    options.TopP = (float?)Top.Number(root, "top_p", 0, 1);
                    break;
                case "top_k":
                    options.TopK = (int?)Top.Integer(root, "top_k", 0, int.MaxValue);
                    break;
                case "stop_sequences":
                    if (Top.Array(root, "stop_sequences") is { } stops)
                    {
                        options.StopSequences = Top.Strings(stops, "stop_sequences");
                    }

                    break;
                case "stream":
                    stream = Top.Boolean(root, "stream") ?? false;
                    break;
                case "metadata":
                    _ = Top.Object(root, "metadata");
                    Keep(options, property);
                    break;
                case "tools":
                    if (Top.Array(root, "tools") is { } tools)
                    {
                        AnthropicEdgeToolMapper.AddTools(options, tools);
                        Keep(options, property); // as sent (defer_loading, cache_control) for an Anthropic upstream
                    }

                    break;
                case "tool_choice":
                    if (Top.Object(root, "tool_choice") is { } choice)
                    {
                        AnthropicEdgeToolMapper.ApplyToolChoice(options, choice);
                    }

                    break;
                case "thinking":
                    _ = Top.Object(root, "thinking");
                    Keep(options, property);
                    break;
                default:
                    Keep(options, property);
                    break;
            }
        }

        options.Reasoning = ToReasoning(root);
        if (!string.IsNullOrEmpty(beta))
        {
            (options.AdditionalProperties ??= [])[PassThroughKeys.AnthropicBetaHeader] = beta;
        }

        if (!string.IsNullOrEmpty(version))
        {
            (options.AdditionalProperties ??= [])[PassThroughKeys.AnthropicVersionHeader] = version;
        }

        return new EdgeRequest(model, messages, options, stream, IncludeUsage: true);
    }

    /// <summary>The canonical effort of <c>output_config.effort</c>, else of <c>thinking</c> (enabled: by its budget; disabled: none;
    /// adaptive: the model's choice, so none set). Both fields also stay as sent, for an Anthropic upstream.</summary>
    private static ReasoningOptions? ToReasoning(JsonElement root)
    {
        if (Top.Object(root, "output_config") is { } output && ReasoningEfforts.FromName(Top.At("output_config").String(output, "effort")) is { } effort)
        {
            return new ReasoningOptions { Effort = effort };
        }

        if (Top.Object(root, "thinking") is not { } thinking)
        {
            return null;
        }

        var scope = Top.At("thinking");
        return scope.String(thinking, "type") switch
        {
            "disabled" => new ReasoningOptions { Effort = ReasoningEffort.None },
            "enabled" when scope.Integer(thinking, "budget_tokens", 0, int.MaxValue) is { } budget
                && ReasoningEfforts.FromBudget(budget) is { } fromBudget => new ReasoningOptions { Effort = fromBudget },
            _ => null,
        };
    }

    private static void Keep(ChatOptions options, JsonProperty property) =>
        (options.AdditionalProperties ??= [])[PassThroughKeys.AnthropicFieldPrefix + property.Name] = property.Value.Clone();
}
