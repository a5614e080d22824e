using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Writes a <c>POST /v1/responses/input_tokens</c> body (a Responses request: <c>model</c>, <c>instructions</c>,
/// <c>input</c> items, function <c>tools</c>) from the canonical messages and options. Pure. Only what changes the count
/// is written: reasoning text and sampling settings are left out.
/// </summary>
internal static class OpenAIInputTokensMapper
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        SkipValidation = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Compact = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    public static void ToInputTokens(IBufferWriter<byte> output, IEnumerable<ChatMessage> messages, ChatOptions? options, string model)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("model", model);
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            w.WriteString("instructions", options.Instructions);
        }

        w.WriteStartArray("input");
        foreach (var message in messages)
        {
            WriteMessage(w, message);
        }

        w.WriteEndArray();
        WriteTools(w, options);
        w.WriteEndObject();
        w.Flush();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        var role = message.Role == ChatRole.Tool ? ChatRole.User.Value : message.Role.Value;
        var assistant = message.Role == ChatRole.Assistant;
        var open = false;
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    Open(w, role, ref open);
                    w.WriteStartObject();
                    w.WriteString("type", assistant ? "output_text" : "input_text");
                    w.WriteString("text", text.Text);
                    w.WriteEndObject();
                    break;
                case DataContent data when !assistant && data.HasTopLevelMediaType("image"):
                    Open(w, role, ref open);
                    WriteImage(w, data.Uri);
                    break;
                case UriContent uri when !assistant && uri.HasTopLevelMediaType("image"):
                    Open(w, role, ref open);
                    WriteImage(w, uri.Uri.ToString());
                    break;
                case FunctionCallContent call:
                    Close(w, ref open);
                    w.WriteStartObject();
                    w.WriteString("type", "function_call");
                    w.WriteString("call_id", call.CallId);
                    w.WriteString("name", call.Name);
                    w.WriteString("arguments", JsonSerializer.SerializeToUtf8Bytes(call.Arguments ?? new Dictionary<string, object?>(),
                        Compact.GetTypeInfo(typeof(IDictionary<string, object?>))));
                    w.WriteEndObject();
                    break;
                case FunctionResultContent result:
                    Close(w, ref open);
                    w.WriteStartObject();
                    w.WriteString("type", "function_call_output");
                    w.WriteString("call_id", result.CallId);
                    w.WriteString("output", result.Result as string ?? (result.Result is null ? "" : result.Result.ToString()));
                    w.WriteEndObject();
                    break;
            }
        }

        Close(w, ref open);
    }

    private static void WriteImage(Utf8JsonWriter w, string url)
    {
        w.WriteStartObject();
        w.WriteString("type", "input_image");
        w.WriteString("image_url", url);
        w.WriteEndObject();
    }

    private static void Open(Utf8JsonWriter w, string role, ref bool open)
    {
        if (open)
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", "message");
        w.WriteString("role", role);
        w.WriteStartArray("content");
        open = true;
    }

    private static void Close(Utf8JsonWriter w, ref bool open)
    {
        if (!open)
        {
            return;
        }

        w.WriteEndArray();
        w.WriteEndObject();
        open = false;
    }

    private static void WriteTools(Utf8JsonWriter w, ChatOptions? options)
    {
        var functions = options?.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (functions is not { Count: > 0 })
        {
            return;
        }

        w.WriteStartArray("tools");
        foreach (var f in functions)
        {
            w.WriteStartObject();
            w.WriteString("type", "function");
            w.WriteString("name", f.Name);
            if (!string.IsNullOrEmpty(f.Description))
            {
                w.WriteString("description", f.Description);
            }

            w.WritePropertyName("parameters");
            if (f.JsonSchema.ValueKind == JsonValueKind.Object)
            {
                f.JsonSchema.WriteTo(w);
            }
            else
            {
                w.WriteRawValue("""{"type":"object","properties":{}}""", skipInputValidation: true);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
