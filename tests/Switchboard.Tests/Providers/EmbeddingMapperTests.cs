using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchboard.Chat;
using Switchboard.Providers;
using Switchboard.Providers.Gemini;
using Switchboard.Providers.OpenAI;

namespace Switchboard.Tests.Providers;

/// <summary>Golden wire tests of the embeddings adapters' pure mappers (OpenAI <c>/embeddings</c>, Gemini <c>:batchEmbedContents</c>).</summary>
public sealed class EmbeddingMapperTests
{
    private static OpenAIEndpoint Endpoint(string type, string baseUrl, params string[] excluded)
    {
        var options = new ProviderOptions { Type = type, BaseUrl = new Uri(baseUrl), ApiKey = "k" };
        foreach (var field in excluded)
        {
            options.ExcludedParameters.Add(field);
        }

        return OpenAIEndpoint.Create("p", options);
    }

    private static string Written(Action<IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static OpenAIEmbeddingList Reply(string json) =>
        JsonSerializer.Deserialize(json, OpenAIJsonContext.Default.OpenAIEmbeddingList)!;

    [Fact]
    public void ToOpenAI_OpenAI_WritesInputsDimensionsUserAndAsksForBase64()
    {
        var options = new EmbeddingGenerationOptions { Dimensions = 256, AdditionalProperties = new() { ["user"] = "u-1", ["taskType"] = "X" } };
        var json = Written(b => OpenAIEmbeddingMapper.ToOpenAI(b, ["a", "café \"q\""], "text-embedding-3-small", options,
            Endpoint(ProviderTypes.OpenAI, "https://api.openai.com/v1")));
        Assert.Equal("""{"model":"text-embedding-3-small","input":["a","café \"q\""],"dimensions":256,"user":"u-1","encoding_format":"base64"}""", json);
    }

    [Fact]
    public void ToOpenAI_Compatible_GetsFloatsByDefault_AndExcludedFieldsAreLeftOut()
    {
        var json = Written(b => OpenAIEmbeddingMapper.ToOpenAI(b, ["a"], "nomic-embed-text", new EmbeddingGenerationOptions { Dimensions = 64 },
            Endpoint(ProviderTypes.OpenAICompatible, "http://localhost:11434/v1", "dimensions")));
        Assert.Equal("""{"model":"nomic-embed-text","input":["a"]}""", json);
    }

    [Fact]
    public void EmbeddingsUri_PerProtocol()
    {
        Assert.Equal("https://api.openai.com/v1/embeddings", Endpoint(ProviderTypes.OpenAI, "https://api.openai.com").EmbeddingsUri("m").AbsoluteUri);
        Assert.Equal("http://localhost:11434/v1/embeddings", Endpoint(ProviderTypes.OpenAICompatible, "http://localhost:11434/v1").EmbeddingsUri("m").AbsoluteUri);
        Assert.StartsWith("https://x.openai.azure.com/openai/deployments/emb%201/embeddings?api-version=",
            Endpoint(ProviderTypes.AzureOpenAI, "https://x.openai.azure.com").EmbeddingsUri("emb 1").AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void FromOpenAI_ReadsBase64AndFloats_InIndexOrder_WithUsage()
    {
        // [1, -0.5] as little-endian float32 is 00 00 80 3F 00 00 00 BF.
        var reply = Reply("""
            {"object":"list","model":"text-embedding-3-small","usage":{"prompt_tokens":7,"total_tokens":7},"data":[
              {"object":"embedding","index":1,"embedding":[0.25,0.5]},
              {"object":"embedding","index":0,"embedding":"AACAPwAAAL8="}]}
            """);
        var result = OpenAIEmbeddingMapper.FromOpenAI(reply, 2, "text-embedding-3-small", "openai");
        Assert.Equal([1f, -0.5f], result[0].Vector.ToArray());
        Assert.Equal([0.25f, 0.5f], result[1].Vector.ToArray());
        Assert.Equal("text-embedding-3-small", result[0].ModelId);
        Assert.Equal(7, result.Usage?.InputTokenCount);
        Assert.Equal(0, result.Usage?.OutputTokenCount);
    }

    [Theory]
    [InlineData("""{"data":[{"index":0,"embedding":[0.1]}]}""")]
    [InlineData("""{"data":[{"index":0,"embedding":[0.1]},{"index":0,"embedding":[0.2]}]}""")]
    [InlineData("""{"data":[{"index":0,"embedding":"AAA"},{"index":1,"embedding":[0.2]}]}""")]
    [InlineData("""{"data":[{"index":0,"embedding":{"x":1}},{"index":1,"embedding":[0.2]}]}""")]
    public void FromOpenAI_AReplyThatDoesNotMatchTheRequest_IsMalformed(string json)
    {
        var error = Assert.Throws<ProviderException>(() => OpenAIEmbeddingMapper.FromOpenAI(Reply(json), 2, "m", "openai"));
        Assert.Equal(ProviderErrorKind.MalformedResponse, error.Kind);
    }

    [Fact]
    public void ToGemini_WritesOneRequestPerInput_WithTaskTypeTitleAndDimensions()
    {
        var options = new EmbeddingGenerationOptions
        {
            Dimensions = 768,
            AdditionalProperties = new() { ["taskType"] = "RETRIEVAL_DOCUMENT", ["title"] = "Doc", ["user"] = "not sent" },
        };
        var json = Written(b => GeminiEmbeddingMapper.ToGemini(b, ["one", "two"], "gemini-embedding-001", options));
        Assert.Equal(
            """{"requests":[""" +
            """{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"one"}]},"taskType":"RETRIEVAL_DOCUMENT","title":"Doc","outputDimensionality":768},""" +
            """{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"two"}]},"taskType":"RETRIEVAL_DOCUMENT","title":"Doc","outputDimensionality":768}]}""",
            json);
        Assert.Equal("""{"requests":[{"model":"models/m","content":{"parts":[{"text":"x"}]}}]}""",
            Written(b => GeminiEmbeddingMapper.ToGemini(b, ["x"], "m", null)));
    }

    [Fact]
    public void FromGemini_InOrder_AndACountMismatchIsMalformed()
    {
        var reply = JsonSerializer.Deserialize("""{"embeddings":[{"values":[0.1,0.2]},{"values":[0.3]}]}""", GeminiJsonContext.Default.GeminiEmbeddingReply);
        var vectors = GeminiEmbeddingMapper.FromGemini(reply, 2, "gemini");
        Assert.Equal([0.1f, 0.2f], vectors[0]);
        Assert.Equal([0.3f], vectors[1]);
        Assert.Equal(ProviderErrorKind.MalformedResponse, Assert.Throws<ProviderException>(() => GeminiEmbeddingMapper.FromGemini(reply, 3, "gemini")).Kind);
        Assert.Throws<ProviderException>(() => GeminiEmbeddingMapper.FromGemini(new GeminiEmbeddingReply(), 1, "gemini"));
    }
}
