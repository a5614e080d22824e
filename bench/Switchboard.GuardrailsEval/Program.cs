using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Guardrails;
using Switchboard.Pricing;

// Measures the guardrails on the labelled sets in Data/: precision and recall of the prompt-injection scorer (at the
// default threshold and a sweep around it), and the input tokens prompt compaction saves on the sample prompts.
// Usage: dotnet run --project bench/Switchboard.GuardrailsEval -c Release [-- --threshold 0.5]
var threshold = GuardrailDefaults.InjectionThreshold;
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--threshold")
    {
        threshold = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
    }
}

var data = Path.Combine(AppContext.BaseDirectory, "Data");
var scorer = PromptInjectionScorer.Default;
// The development set was written together with the scorer's patterns; the holdout set was written after they were
// frozen and is never tuned on, so its numbers are the honest ones.
Evaluate("development set", Path.Combine(data, "injection-eval.jsonl"));
Evaluate("holdout set", Path.Combine(data, "injection-holdout.jsonl"));

void Evaluate(string name, string path)
{
    var items = ReadJsonl(path).Select(e => new EvalItem(
        e.GetProperty("id").GetString()!, e.GetProperty("label").GetInt32() == 1, e.GetProperty("family").GetString()!,
        e.GetProperty("source").GetString() == "tool", e.GetProperty("text").GetString()!)).ToList();
    var scored = items.Select(item => (Item: item, Result: scorer.Score(item.Text, item.FromTool))).ToList();
    Console.WriteLine($"Prompt injection, {name}: {items.Count} items ({items.Count(i => i.Injection)} injections, {items.Count(i => !i.Injection)} benign)");
    Console.WriteLine("threshold  precision  recall  f1     fp  fn");
    foreach (var t in Sweep.Thresholds.Append(threshold).Distinct().Order())
    {
        var (p, r, f1, fp, fn) = Measure(scored, t);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t,9:0.00}  {p,9:0.000}  {r,6:0.000}  {f1,5:0.000}  {fp,2}  {fn,2}{(t == threshold ? "   <- threshold" : "")}"));
    }

    Console.WriteLine("By family at the threshold (recall for injections, false alarms for benign):");
    foreach (var family in scored.GroupBy(s => s.Item.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
    {
        var hits = family.Count(s => s.Result.Score >= threshold);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {family.Key,-12} {(family.First().Item.Injection ? "caught" : "flagged"),-8} {hits}/{family.Count()}"));
    }

    Console.WriteLine("Misclassified at the threshold:");
    foreach (var (item, result) in scored.Where(s => (s.Result.Score >= threshold) != s.Item.Injection))
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {item.Id} ({(item.Injection ? "missed" : "false alarm")}, score {result.Score:0.00} [{string.Join(", ", result.Signals)}]): {Shorten(item.Text)}"));
    }

    Console.WriteLine();
}

// --- Compaction -----------------------------------------------------------------------------------------------
var estimator = TokenEstimator.Default;
var samples = ReadJsonl(Path.Combine(data, "compaction-samples.jsonl")).ToList();
Console.WriteLine();
Console.WriteLine($"Prompt compaction: {samples.Count} sample requests (tokens with the o200k tokenizer, as the router counts them)");
Console.WriteLine("sample                        before   compact   saved    + abbrev   saved");
long totalBefore = 0, totalCompact = 0, totalAbbrev = 0;
foreach (var sample in samples)
{
    var messages = sample.GetProperty("messages").EnumerateArray()
        .Select(m => new ChatMessage(new ChatRole(m.GetProperty("role").GetString()!), m.GetProperty("text").GetString())).ToList();
    var before = estimator.CountInput(messages);
    var compact = estimator.CountInput(Compact(messages, new PromptCompactor()));
    var abbrev = estimator.CountInput(Compact(messages, new PromptCompactor(abbreviations: true)));
    totalBefore += before;
    totalCompact += compact;
    totalAbbrev += abbrev;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{sample.GetProperty("id").GetString(),-28} {before,7} {compact,9} {Pct(before, compact),7} {abbrev,10} {Pct(before, abbrev),7}"));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{"total",-28} {totalBefore,7} {totalCompact,9} {Pct(totalBefore, totalCompact),7} {totalAbbrev,10} {Pct(totalBefore, totalAbbrev),7}"));
return 0;

static List<ChatMessage> Compact(List<ChatMessage> messages, PromptCompactor compactor)
{
    var seen = new HashSet<string>(StringComparer.Ordinal);
    return [.. messages.Select(m => new ChatMessage(m.Role, compactor.Compact(m.Text, seen)))];
}

static string Pct(long before, long after) =>
    string.Create(CultureInfo.InvariantCulture, $"{(before == 0 ? 0 : 100.0 * (before - after) / before):0.0}%");

static (double Precision, double Recall, double F1, int Fp, int Fn) Measure(List<(EvalItem Item, InjectionAssessment Result)> scored, double t)
{
    var tp = scored.Count(s => s.Item.Injection && s.Result.Score >= t);
    var fp = scored.Count(s => !s.Item.Injection && s.Result.Score >= t);
    var fn = scored.Count(s => s.Item.Injection && s.Result.Score < t);
    var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
    var recall = tp + fn == 0 ? 1 : (double)tp / (tp + fn);
    var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    return (precision, recall, f1, fp, fn);
}

static IEnumerable<JsonElement> ReadJsonl(string path) =>
    File.ReadLines(path).Where(l => l.Trim().Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone());

static string Shorten(string text)
{
    var flat = text.ReplaceLineEndings(" ");
    return flat.Length <= 90 ? flat : flat[..90] + "...";
}

internal sealed record EvalItem(string Id, bool Injection, string Family, bool FromTool, string Text);

internal static class Sweep
{
    public static readonly double[] Thresholds = [0.3, 0.4, 0.5, 0.6, 0.7];
}
