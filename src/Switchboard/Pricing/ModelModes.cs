namespace Switchboard.Pricing;

/// <summary>The values of <see cref="ModelInfo.Mode"/> (LiteLLM's <c>mode</c> names).</summary>
public static class ModelModes
{
    /// <summary>A chat (generation) model; the default when a catalog entry names no mode.</summary>
    public const string Chat = "chat";

    /// <summary>An embedding model: billed on input tokens only, served by the embedding router.</summary>
    public const string Embedding = "embedding";
}
