using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Gateway.Edges.OpenAI;

/// <summary>Maps OpenAI <c>messages</c> to canonical chat messages. Pure.</summary>
internal static class OpenAIEdgeMessageMapper
{
    private static readonly EdgeScope Messages = new EdgeScope(EdgeErrorStyle.OpenAI, null).At("messages");

    public static List<ChatMessage> ToMessages(JsonElement array)
    {
        var messages = new List<ChatMessage>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var scope = Messages.At(i++);
            scope.Self(item, EdgeJsonType.Object);
            messages.Add(ToMessage(item, scope));
        }

        return messages;
    }

    private static ChatMessage ToMessage(JsonElement item, EdgeScope scope)
    {
        var roleText = scope.RequiredString(item, "role");
        var role = roleText switch
        {
            "system" or "developer" => ChatRole.System,
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "tool" => ChatRole.Tool,
            _ => throw scope.Invalid("role", $"value must be one of 'system', 'developer', 'user', 'assistant' or 'tool', but got '{roleText}' instead."),
        };

        var message = new ChatMessage { Role = role, AuthorName = scope.String(item, "name") };
        if (role == ChatRole.Tool)
        {
            var callId = scope.RequiredString(item, "tool_call_id");
            var result = ContentText(scope.Require(item, "content"), scope.At("content"));
            message.Contents.Add(new FunctionResultContent(callId, result));
            return message;
        }

        var hasContent = EdgeScope.TryGet(item, "content", out var content);
        if (role == ChatRole.Assistant)
        {
            if (hasContent)
            {
                AddParts(message.Contents, content, scope);
            }

            if (scope.Array(item, "tool_calls") is { } calls)
            {
                AddToolCalls(message.Contents, calls, scope.At("tool_calls"));
            }

            if (!hasContent && message.Contents.Count == 0)
            {
                throw scope.Missing("content");
            }

            return message;
        }

        AddParts(message.Contents, hasContent ? content : throw scope.Missing("content"), scope);
        return message;
    }

    private static void AddParts(IList<AIContent> contents, JsonElement content, EdgeScope message)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            contents.Add(new TextContent(content.GetString()));
            return;
        }

        var parts = message.At("content");
        message.Expect(content, "content", EdgeJsonType.Array);
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var scope = parts.At(i++);
            scope.Self(part, EdgeJsonType.Object);
            contents.Add(ToPart(part, scope));
        }
    }

    private static AIContent ToPart(JsonElement part, EdgeScope scope)
    {
        var type = scope.RequiredString(part, "type");
        switch (type)
        {
            case "text":
                return new TextContent(scope.RequiredString(part, "text"));
            case "refusal":
                return new TextContent(scope.RequiredString(part, "refusal"));
            case "image_url":
            {
                var image = scope.Expect(scope.Require(part, "image_url"), "image_url", EdgeJsonType.Object);
                var imageScope = scope.At("image_url");
                var url = imageScope.RequiredString(image, "url");
                var result = EdgeJson.ToContent(url, "image/*")
                    ?? throw imageScope.Invalid("url", "expected a data: URI or an http(s) URL.");
                if (imageScope.String(image, "detail") is { } detail)
                {
                    (result.AdditionalProperties ??= [])["detail"] = detail;
                }

                return result;
            }

            case "input_audio":
            {
                var audio = scope.Expect(scope.Require(part, "input_audio"), "input_audio", EdgeJsonType.Object);
                var audioScope = scope.At("input_audio");
                var data = audioScope.RequiredString(audio, "data");
                var format = audioScope.RequiredString(audio, "format");
                return EdgeJson.ToContent($"data:audio/{format};base64,{data}", "audio/*")
                    ?? throw audioScope.Invalid("data", "expected base64-encoded audio.");
            }

            case "file":
            {
                var file = scope.Expect(scope.Require(part, "file"), "file", EdgeJsonType.Object);
                var fileScope = scope.At("file");
                var data = fileScope.String(file, "file_data") ?? throw fileScope.Invalid("file_data", "only inline file_data (a data: URI) is supported by this gateway.");
                var result = (EdgeJson.ToContent(data, "application/octet-stream") as DataContent)
                    ?? throw fileScope.Invalid("file_data", "expected a data: URI.");
                result.Name = fileScope.String(file, "filename");
                return result;
            }

            default:
                throw scope.Invalid("type", $"unsupported content part type '{type}'. Expected 'text', 'image_url', 'input_audio' or 'file'.");
        }
    }

    private static void AddToolCalls(IList<AIContent> contents, JsonElement calls, EdgeScope scope)
    {
        var i = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callScope = scope.At(i++);
            callScope.Self(call, EdgeJsonType.Object);
            var id = callScope.RequiredString(call, "id");
            var function = callScope.Expect(callScope.Require(call, "function"), "function", EdgeJsonType.Object);
            var functionScope = callScope.At("function");
            var name = functionScope.RequiredString(function, "name");
            var arguments = functionScope.String(function, "arguments");
            contents.Add(new FunctionCallContent(id, name, EdgeJson.ArgumentsFromText(arguments, functionScope)));
        }
    }

    /// <summary>A tool message's content as text: a string, or the text parts joined.</summary>
    private static string ContentText(JsonElement content, EdgeScope scope)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw EdgeErrorStyle.OpenAI.WrongType(scope.Path!, EdgeJsonType.String, content);
        }

        var builder = new System.Text.StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partScope = scope.At(i++);
            partScope.Self(part, EdgeJsonType.Object);
            if (partScope.RequiredString(part, "type") != "text")
            {
                throw partScope.Invalid("type", "tool message content parts must be of type 'text'.");
            }

            builder.Append(partScope.RequiredString(part, "text"));
        }

        return builder.ToString();
    }
}
