using Microsoft.Extensions.AI;

namespace Switchboard.Chat;

/// <summary>
/// The one table that translates reasoning settings between providers through the canonical
/// <see cref="ChatOptions.Reasoning"/> effort: OpenAI <c>reasoning_effort</c> / Responses <c>reasoning.effort</c>, Anthropic
/// <c>thinking.budget_tokens</c> and <c>output_config.effort</c>, Gemini <c>thinkingConfig.thinkingBudget</c> and
/// <c>thinkingLevel</c>. Budgets (tokens): none 0, low 1,024, medium 8,192, high 24,576, xhigh 32,768; a budget maps back to
/// the effort whose band holds it (below 4,096 low, below 16,384 medium, below 32,768 high, else xhigh).
/// </summary>
public static class ReasoningEfforts
{
    /// <summary>The thinking budget in tokens for an effort.</summary>
    public static int BudgetTokens(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => 0,
        ReasoningEffort.Low => 1024,
        ReasoningEffort.Medium => 8192,
        ReasoningEffort.High => 24576,
        _ => 32768,
    };

    /// <summary>The effort for a thinking budget; null for a dynamic budget (negative: the model decides).</summary>
    public static ReasoningEffort? FromBudget(long budget) => budget switch
    {
        < 0 => null,
        0 => ReasoningEffort.None,
        < 4096 => ReasoningEffort.Low,
        < 16384 => ReasoningEffort.Medium,
        < 32768 => ReasoningEffort.High,
        _ => ReasoningEffort.ExtraHigh,
    };

    /// <summary>The effort named by OpenAI (<c>none minimal low medium high xhigh</c>), Anthropic (<c>low medium high xhigh max</c>)
    /// or Gemini levels (<c>MINIMAL LOW MEDIUM HIGH</c>), case-insensitive; null for any other name.</summary>
    public static ReasoningEffort? FromName(string? name) => name?.ToLowerInvariant() switch
    {
        "none" => ReasoningEffort.None,
        "minimal" or "low" => ReasoningEffort.Low,
        "medium" => ReasoningEffort.Medium,
        "high" => ReasoningEffort.High,
        "xhigh" or "max" => ReasoningEffort.ExtraHigh,
        _ => null,
    };

    /// <summary>OpenAI's and Anthropic's name of an effort (<c>none low medium high xhigh</c>).</summary>
    public static string Name(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None => "none",
        ReasoningEffort.Low => "low",
        ReasoningEffort.Medium => "medium",
        ReasoningEffort.High => "high",
        _ => "xhigh",
    };

    /// <summary>Gemini 3's <c>thinkingLevel</c> for an effort (none is <c>LOW</c>, the lowest level every Gemini 3 model takes).</summary>
    public static string GeminiLevel(ReasoningEffort effort) => effort switch
    {
        ReasoningEffort.None or ReasoningEffort.Low => "LOW",
        ReasoningEffort.Medium => "MEDIUM",
        _ => "HIGH",
    };
}
