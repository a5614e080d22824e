using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.Anthropic;

/// <summary>Maps Anthropic <c>system</c> and <c>messages</c> to canonical chat messages. Pure.</summary>
internal static class AnthropicEdgeMessageMapper
{
    /// <summary>Key of a <see cref="FunctionResultContent"/>'s additional properties set to true for <c>is_error</c> results.</summary>
    public const string IsErrorKey = "is_error";

    private static readonly EdgeScope Top = new(EdgeErrorStyle.Anthropic, null);

    public static ChatMessage ToSystemMessage(JsonElement system)
    {
        var message = new ChatMessage { Role = ChatRole.System };
        if (system.ValueKind == JsonValueKind.String)
        {
            message.Contents.Add(new TextContent(system.GetString()));
            return message;
        }

        Top.Expect(system, "system", EdgeJsonType.Array);
        var scope = Top.At("system");
        var i = 0;
        foreach (var block in system.EnumerateArray())
        {
            var blockScope = scope.At(i++);
            blockScope.Self(block, EdgeJsonType.Object);
            if (blockScope.RequiredString(block, "type") != "text")
            {
                throw blockScope.Invalid("type", "system blocks must be of type 'text'");
            }

            message.Contents.Add(new TextContent(blockScope.RequiredString(block, "text")));
        }

        return message;
    }

    public static void AddMessages(List<ChatMessage> messages, JsonElement array)
    {
        var scope = Top.At("messages");
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var messageScope = scope.At(i++);
            messageScope.Self(item, EdgeJsonType.Object);
            var roleText = messageScope.RequiredString(item, "role");
            var role = roleText switch
            {
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                _ => throw messageScope.Invalid("role", $"Input should be 'user' or 'assistant'"),
            };

            var message = new ChatMessage { Role = role };
            var content = messageScope.Require(item, "content");
            if (content.ValueKind == JsonValueKind.String)
            {
                message.Contents.Add(new TextContent(content.GetString()));
            }
            else
            {
                messageScope.Expect(content, "content", EdgeJsonType.Array);
                var blocks = messageScope.At("content");
                var b = 0;
                foreach (var block in content.EnumerateArray())
                {
                    message.Contents.Add(ToContent(block, blocks.At(b++)));
                }
            }

            messages.Add(message);
        }
    }

    private static AIContent ToContent(JsonElement block, EdgeScope scope)
    {
        scope.Self(block, EdgeJsonType.Object);
        var type = scope.RequiredString(block, "type");
        switch (type)
        {
            case "text":
                return new TextContent(scope.RequiredString(block, "text"));
            case "image":
            case "document":
                return ToMedia(block, scope, type == "image" ? "image/*" : "application/pdf");
            case "tool_use":
                var input = scope.Object(block, "input");
                return new FunctionCallContent(scope.RequiredString(block, "id"), scope.RequiredString(block, "name"),
                    input is { } i ? EdgeJson.ToArguments(i) : []);
            case "tool_result":
                var result = new FunctionResultContent(scope.RequiredString(block, "tool_use_id"), ResultText(block, scope));
                if (scope.Boolean(block, "is_error") == true)
                {
                    (result.AdditionalProperties ??= [])[IsErrorKey] = true;
                }

                return result;
            case "thinking":
                return new TextReasoningContent(scope.RequiredString(block, "thinking")) { ProtectedData = scope.String(block, "signature") };
            case "redacted_thinking":
                return new TextReasoningContent(string.Empty) { ProtectedData = scope.RequiredString(block, "data") };
            default:
                throw scope.Invalid("type", $"Input tag '{type}' found using 'type' does not match any of the expected tags: 'text', 'image', 'document', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'");
        }
    }

    private static AIContent ToMedia(JsonElement block, EdgeScope scope, string defaultMediaType)
    {
        var source = scope.Expect(scope.Require(block, "source"), "source", EdgeJsonType.Object);
        var sourceScope = scope.At("source");
        var sourceType = sourceScope.RequiredString(source, "type");
        switch (sourceType)
        {
            case "base64":
                var mediaType = sourceScope.RequiredString(source, "media_type");
                var data = sourceScope.RequiredString(source, "data");
                try
                {
                    return new DataContent(Convert.FromBase64String(data), mediaType);
                }
                catch (FormatException)
                {
                    throw sourceScope.Invalid("data", "Input should be valid base64");
                }
                catch (ArgumentException)
                {
                    throw sourceScope.Invalid("media_type", "Input should be a valid media type");
                }

            case "url":
                return EdgeJson.ToContent(sourceScope.RequiredString(source, "url"), defaultMediaType) is UriContent uri
                    ? uri
                    : throw sourceScope.Invalid("url", "Input should be an http(s) URL");
            default:
                throw sourceScope.Invalid("type", $"Input tag '{sourceType}' found using 'type' does not match any of the expected tags: 'base64', 'url'");
        }
    }

    /// <summary>A tool result's content as text: a string, or its text blocks joined.</summary>
    private static string ResultText(JsonElement block, EdgeScope scope)
    {
        if (!EdgeScope.TryGet(block, "content", out var content))
        {
            return string.Empty;
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        scope.Expect(content, "content", EdgeJsonType.Array);
        var parts = scope.At("content");
        var builder = new System.Text.StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partScope = parts.At(i++);
            partScope.Self(part, EdgeJsonType.Object);
            if (partScope.RequiredString(part, "type") != "text")
            {
                throw partScope.Invalid("type", "only text blocks are supported in tool_result content by this gateway");
            }

            builder.Append(partScope.RequiredString(part, "text"));
        }

        return builder.ToString();
    }
}
