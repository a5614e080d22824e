namespace Switchboard.Telemetry;

/// <summary>Attribute names: the OpenTelemetry GenAI conventions and Switchboard's own.</summary>
public static class GenAiAttributes
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string FinishReasons = "gen_ai.response.finish_reasons";
    public const string TokenType = "gen_ai.token.type";
    public const string ServerAddress = "server.address";
    public const string ErrorType = "error.type";

    public const string Route = "switchboard.route";
    public const string Attempt = "switchboard.attempt";
    public const string Deployment = "switchboard.deployment";
    public const string Cache = "switchboard.cache";
    public const string CostUsd = "switchboard.cost_usd";
    public const string FallbackReason = "switchboard.fallback_reason";
    public const string Outcome = "switchboard.outcome";
    public const string Task = "switchboard.task";
    public const string Reason = "switchboard.reason";

    public const string Chat = "chat";
    public const string Embeddings = "embeddings";
}
