using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>Maps paths to protocols: OpenAI (Chat Completions and Responses), Azure OpenAI, Anthropic and Gemini (v1beta and v1), their embeddings, plus model lists, OpenAI moderations and /healthz.</summary>
internal sealed class EmulatorRouter(EmulatorPipeline pipeline, ModerationEndpoint moderation)
{
    private readonly OpenAIProtocol _openAI = new();
    private readonly ResponsesInputTokensProtocol _responsesCount = new(new OpenAIProtocol());
    private readonly AnthropicProtocol _anthropic = new();
    private readonly GeminiProtocol _gemini = new();
    private readonly OpenAIResponsesProtocol _responses = new();

    public Task RouteAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var post = HttpMethods.IsPost(context.Request.Method);
        var get = HttpMethods.IsGet(context.Request.Method);
        var ct = context.RequestAborted;

        if (get && path == "/healthz")
        {
            return EmulatorPipeline.WriteJsonAsync(context, 200, "{\"status\":\"ok\",\"emulated\":true}", ct);
        }

        if (post && path == "/v1/chat/completions")
        {
            return pipeline.HandleAsync(context, _openAI, null, false, false);
        }

        if (post && path is "/v1/responses" or "/openai/v1/responses")
        {
            return pipeline.HandleAsync(context, _responses, null, false, false);
        }

        if (post && path == "/v1/embeddings")
        {
            return pipeline.HandleEmbeddingsAsync(context, _openAI, null, EmbeddingReplies.OpenAI);
        }

        if (post && path == "/v1/moderations")
        {
            return moderation.HandleAsync(context);
        }

        if (post && path == "/v1/messages")
        {
            return pipeline.HandleAsync(context, _anthropic, null, false, false);
        }

        if (post && path == "/v1/messages/count_tokens")
        {
            return pipeline.HandleAsync(context, _anthropic, null, false, true);
        }

        if (post && path == "/v1/responses/input_tokens")
        {
            return pipeline.HandleAsync(context, _responsesCount, null, false, true);
        }

        if (post && TryAzure(path, "/chat/completions", out var deployment))
        {
            return pipeline.HandleAsync(context, _openAI, deployment, false, false);
        }

        if (post && TryAzure(path, "/embeddings", out var embeddingDeployment))
        {
            return pipeline.HandleEmbeddingsAsync(context, _openAI, embeddingDeployment, EmbeddingReplies.OpenAI);
        }

        if (post && TryGemini(path, out var model, out var action))
        {
            return action switch
            {
                "generateContent" => pipeline.HandleAsync(context, _gemini, model, false, false),
                "streamGenerateContent" => pipeline.HandleAsync(context, _gemini, model, true, false),
                "countTokens" => pipeline.HandleAsync(context, _gemini, model, false, true),
                "embedContent" => pipeline.HandleEmbeddingsAsync(context, _gemini, model, EmbeddingReplies.GeminiSingle),
                "batchEmbedContents" => pipeline.HandleEmbeddingsAsync(context, _gemini, model, EmbeddingReplies.GeminiBatch),
                _ => NotFoundAsync(context),
            };
        }

        if (get && path == "/v1beta/models")
        {
            return EmulatorPipeline.WriteJsonAsync(context, 200, EmulatedModels.Gemini().ToJsonString(), ct);
        }

        if (get && path == "/v1/models")
        {
            var headers = context.Request.Headers;
            var listing = headers.ContainsKey("x-goog-api-key") || context.Request.Query.ContainsKey("key") ? EmulatedModels.Gemini()
                : headers.ContainsKey("anthropic-version") ? EmulatedModels.Anthropic()
                : EmulatedModels.OpenAI();
            return EmulatorPipeline.WriteJsonAsync(context, 200, listing.ToJsonString(), ct);
        }

        return NotFoundAsync(context);
    }

    private static Task NotFoundAsync(HttpContext context) => EmulatorPipeline.WriteJsonAsync(
        context,
        404,
        "{\"error\":{\"message\":\"Unknown emulator path " + System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(context.Request.Path.Value ?? "") + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"not_found\"}}",
        context.RequestAborted);

    private static bool TryAzure(string path, string suffix, out string deployment)
    {
        const string Prefix = "/openai/deployments/";
        deployment = "";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal) || !path.EndsWith(suffix, StringComparison.Ordinal) || path.Length <= Prefix.Length + suffix.Length)
        {
            return false;
        }

        deployment = path[Prefix.Length..^suffix.Length];
        return !deployment.Contains('/', StringComparison.Ordinal);
    }

    private static bool TryGemini(string path, out string model, out string action)
    {
        model = action = "";
        foreach (var prefix in (string[])["/v1beta/models/", "/v1/models/"])
        {
            if (path.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = path[prefix.Length..];
                var colon = rest.LastIndexOf(':');
                if (colon > 0)
                {
                    model = rest[..colon];
                    action = rest[(colon + 1)..];
                    return true;
                }
            }
        }

        return false;
    }
}
