using System.Text;
using BenchmarkDotNet.Attributes;
using Switchboard.Guardrails;

namespace Switchboard.Benchmarks;

/// <summary>
/// The prompt-injection scorer (on, as <c>flag</c>, by default) over what a request's user side holds: the benchmark
/// request's two user messages, and an agent's tool result (a 16 KB source file), benign both, so every signal is
/// looked for and none is found: the common case.
/// </summary>
[MemoryDiagnoser]
public class InjectionScorerBenchmarks
{
    private static readonly string s_toolResult = BuildToolResult();

    [Benchmark(Baseline = true)]
    public double ShortUserMessages() =>
        PromptInjectionScorer.Default.Score("What is the capital of France?").Score
        + PromptInjectionScorer.Default.Score("And what river runs through it? Say a little about its history and why it matters to the city.").Score;

    /// <summary>A tool result seen for the first time (a fresh scorer each call: nothing remembered).</summary>
    [Benchmark]
    public double ToolResult16K() => new PromptInjectionScorer().Score(s_toolResult, fromTool: true).Score;

    /// <summary>The same tool result again, as an agent resends it with the whole history every turn.</summary>
    [Benchmark]
    public double ToolResult16KResent() => PromptInjectionScorer.Default.Score(s_toolResult, fromTool: true).Score;

    private static string BuildToolResult()
    {
        var sb = new StringBuilder();
        for (var i = 0; sb.Length < 16_000; i++)
        {
            sb.Append("    /// <summary>Returns the total of the order's lines, tax included (line ").Append(i).Append(").</summary>\n");
            sb.Append("    public decimal Total").Append(i).Append("(Order order) => order.Lines.Sum(l => l.Price * l.Quantity) * (1 + order.TaxRate);\n\n");
        }

        return sb.ToString();
    }
}
