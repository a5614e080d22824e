using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.Pricing;

/// <summary>
/// Reads a price file in LiteLLM's public <c>model_prices_and_context_window.json</c> format (a JSON object: model name →
/// <c>litellm_provider</c>, <c>mode</c>, <c>input_cost_per_token</c>, <c>output_cost_per_token</c>, cache and long-context
/// prices, <c>max_input_tokens</c>, <c>max_output_tokens</c>), so operators keep prices current without a release
/// (<c>Switchboard:Catalog:Import</c>). Only the providers Switchboard speaks natively (openai, anthropic, gemini) and the
/// chat and embedding modes are taken; an entry without a price or a context window is skipped.
/// </summary>
public static partial class LiteLlmPriceFile
{
    private static readonly Dictionary<string, string> Providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = "openai",
        ["anthropic"] = "anthropic",
        ["gemini"] = "gemini",
    };

    /// <summary>Reads the file at <paramref name="path"/>; prices are dated by the file's last write.</summary>
    public static IReadOnlyList<ModelInfo> Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream, $"LiteLLM price file {Path.GetFileName(path)}",
            File.GetLastWriteTimeUtc(path).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    /// <summary>The models of a LiteLLM price file.</summary>
    /// <exception cref="JsonException">The file is not a JSON object.</exception>
    public static IReadOnlyList<ModelInfo> Parse(Stream json, string source, string? asOf)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("A LiteLLM price file is a JSON object of models.");
        }

        var models = new List<ModelInfo>();
        foreach (var entry in document.RootElement.EnumerateObject())
        {
            if (entry.Value.ValueKind == JsonValueKind.Object && ToModel(entry.Name, entry.Value, source, asOf) is { } model)
            {
                models.Add(model);
            }
        }

        return models;
    }

    private static ModelInfo? ToModel(string name, JsonElement entry, string source, string? asOf)
    {
        if (String(entry, "litellm_provider") is not { } litellmProvider || !Providers.TryGetValue(litellmProvider, out var provider))
        {
            return null;
        }

        var mode = String(entry, "mode") ?? ModelModes.Chat;
        if (mode is not (ModelModes.Chat or ModelModes.Embedding))
        {
            return null;
        }

        var input = PerMillion(entry, "input_cost_per_token");
        var contextWindow = Int(entry, "max_input_tokens") ?? Int(entry, "max_tokens");
        if (input is null || contextWindow is not > 0)
        {
            return null;
        }

        // "gemini/gemini-2.5-pro" names the model "gemini-2.5-pro" for the gemini provider.
        var id = name.StartsWith(litellmProvider + "/", StringComparison.OrdinalIgnoreCase) ? name[(litellmProvider.Length + 1)..] : name;
        var embedding = mode == ModelModes.Embedding;
        var (threshold, longInput, longOutput) = LongContext(entry);
        return new ModelInfo
        {
            Provider = provider,
            Id = id,
            InputPerMTok = input.Value,
            OutputPerMTok = PerMillion(entry, "output_cost_per_token") ?? 0m,
            CachedInputPerMTok = PerMillion(entry, "cache_read_input_token_cost"),
            CacheWritePerMTok = PerMillion(entry, "cache_creation_input_token_cost"),
            LongContextThreshold = threshold,
            LongInputPerMTok = longInput,
            LongOutputPerMTok = longOutput,
            ContextWindow = contextWindow.Value,
            MaxOutputTokens = embedding ? 0 : Int(entry, "max_output_tokens") ?? Int(entry, "max_tokens") ?? contextWindow.Value,
            Mode = mode,
            Dimensions = embedding ? Int(entry, "output_vector_size") : null,
            PriceSource = source,
            PriceAsOf = asOf,
        };
    }

    /// <summary>The first <c>input_cost_per_token_above_NNNk_tokens</c> tier, with its output price.</summary>
    private static (long? Threshold, decimal? Input, decimal? Output) LongContext(JsonElement entry)
    {
        foreach (var property in entry.EnumerateObject())
        {
            if (LongTier().Match(property.Name) is { Success: true } match &&
                long.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var thousands) &&
                PerMillion(entry, property.Name) is { } input)
            {
                return (thousands * 1000, input, PerMillion(entry, $"output_cost_per_token_above_{match.Groups[1].Value}k_tokens"));
            }
        }

        return (null, null, null);
    }

    /// <summary>A per-token price as dollars per million tokens, exact (read from the number's text, never through a double).</summary>
    private static decimal? PerMillion(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number &&
        decimal.TryParse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var perToken) && perToken >= 0
            ? perToken * 1_000_000m
            : null;

    private static int? Int(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= 0 ? n : null;

    private static string? String(JsonElement entry, string name) =>
        entry.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [GeneratedRegex(@"^input_cost_per_token_above_(\d{1,7})k_tokens$", RegexOptions.CultureInvariant)]
    private static partial Regex LongTier();
}
