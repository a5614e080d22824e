using System.Text;
using Microsoft.Extensions.AI;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.Gemini;
using Switchboard.Gateway.Edges.OpenAI;

namespace Switchboard.Tests.Gateway;

/// <summary>Golden wire tests of the embeddings edges: OpenAI <c>/v1/embeddings</c> and Gemini <c>:embedContent</c> / <c>:batchEmbedContents</c>.</summary>
public sealed class EmbeddingEdgeTests
{
    private static ReadOnlyMemory<byte> Body(string json) => Encoding.UTF8.GetBytes(json);

    private static GeneratedEmbeddings<Embedding<float>> Two() =>
        new([new Embedding<float>(new[] { 1f, -0.5f }) { ModelId = "text-embedding-3-small" }, new Embedding<float>(new[] { 0.25f, 0.125f })])
        {
            Usage = new UsageDetails { InputTokenCount = 5, TotalTokenCount = 5 },
        };

    [Fact]
    public void OpenAI_Parse_StringOrStrings_WithOptions()
    {
        var single = OpenAIEmbeddingEdge.Parse(Body("""{"model":"text-embedding-3-small","input":"hello"}"""));
        Assert.Equal(["hello"], single.Inputs);
        Assert.False(single.Base64);
        Assert.Null(single.Options.Dimensions);

        var many = OpenAIEmbeddingEdge.Parse(Body("""{"model":"m","input":["a","b"],"dimensions":256,"encoding_format":"base64","user":"u"}"""));
        Assert.Equal(["a", "b"], many.Inputs);
        Assert.True(many.Base64);
        Assert.Equal(256, many.Options.Dimensions);
        Assert.Equal("u", many.Options.AdditionalProperties?["user"]);
        Assert.Equal("m", many.Options.ModelId);
    }

    [Theory]
    [InlineData("""{"model":"m"}""", "input", null)]
    [InlineData("""{"model":"m","input":""}""", "input", null)]
    [InlineData("""{"model":"m","input":["a",""]}""", "input[1]", null)]
    [InlineData("""{"model":"m","input":[1,2,3]}""", "input", "unsupported_input")]
    [InlineData("""{"model":"m","input":[[1,2],[3]]}""", "input", "unsupported_input")]
    [InlineData("""{"model":"m","input":["a",{"x":1}]}""", "input[1]", null)]
    [InlineData("""{"model":"m","input":"a","encoding_format":"int8"}""", "encoding_format", null)]
    [InlineData("""{"model":"m","input":"a","dimensions":0}""", "dimensions", null)]
    [InlineData("""{"model":"m","input":"a","dimensions":1.5}""", "dimensions", null)]
    [InlineData("""{"input":"a"}""", "model", null)]
    public void OpenAI_Parse_WrongBodies_NameTheField(string json, string param, string? code)
    {
        var error = Assert.Throws<EdgeRequestException>(() => OpenAIEmbeddingEdge.Parse(Body(json)));
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void OpenAI_Write_Floats_Golden()
    {
        OpenAIEdgeResponseWriterTests.AssertJson(
            """
            {"object":"list","data":[
              {"object":"embedding","index":0,"embedding":[1,-0.5]},
              {"object":"embedding","index":1,"embedding":[0.25,0.125]}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}
            """,
            OpenAIEmbeddingEdge.Write(Two(), "embedding", base64: false));
    }

    [Fact]
    public void OpenAI_Write_Base64_IsLittleEndianFloat32_Golden()
    {
        // 1, -0.5 → 00 00 80 3F 00 00 00 BF; 0.25, 0.125 → 00 00 80 3E 00 00 00 3E.
        OpenAIEdgeResponseWriterTests.AssertJson(
            """
            {"object":"list","data":[
              {"object":"embedding","index":0,"embedding":"AACAPwAAAL8="},
              {"object":"embedding","index":1,"embedding":"AACAPgAAAD4="}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":5,"total_tokens":5}}
            """,
            OpenAIEmbeddingEdge.Write(Two(), "embedding", base64: true));
    }

    [Fact]
    public void Gemini_ParseSingle_JoinsTextParts_KeepsTaskTypeTitleAndDimensions()
    {
        var request = GeminiEmbeddingEdge.ParseSingle(Body("""
            {"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"},{"text":"b"}]},
             "taskType":"RETRIEVAL_DOCUMENT","title":"T","outputDimensionality":768}
            """), "gemini-embedding-001");
        Assert.Equal(["a\nb"], request.Inputs);
        Assert.Equal("gemini-embedding-001", request.Model);
        Assert.Equal(768, request.Options.Dimensions);
        Assert.Equal("RETRIEVAL_DOCUMENT", request.Options.AdditionalProperties?["taskType"]);
        Assert.Equal("T", request.Options.AdditionalProperties?["title"]);
    }

    [Fact]
    public void Gemini_ParseBatch_InOrder_TitlesDroppedForMany()
    {
        var request = GeminiEmbeddingEdge.ParseBatch(Body("""
            {"requests":[{"model":"models/m","content":{"parts":[{"text":"x"}]},"title":"A"},
                         {"content":{"parts":[{"text":"y"}]},"title":"B"}]}
            """), "m");
        Assert.Equal(["x", "y"], request.Inputs);
        Assert.Null(request.Options.AdditionalProperties);
    }

    [Theory]
    [InlineData("""{"requests":[]}""", "requests")]
    [InlineData("""{"requests":[{"model":"models/other","content":{"parts":[{"text":"x"}]}}]}""", "requests[0].model")]
    [InlineData("""{"requests":[{"content":{"parts":[{"inlineData":{"mimeType":"image/png","data":"AA=="}}]}}]}""", "requests[0].content.parts[0].text")]
    [InlineData("""{"requests":[{"content":{"parts":[]}}]}""", "requests[0].content.parts")]
    [InlineData("""{"requests":[{"content":{"parts":[{"text":"x"}]},"taskType":"A"},{"content":{"parts":[{"text":"y"}]},"taskType":"B"}]}""", "requests")]
    [InlineData("""{"requests":[{"content":{"parts":[{"text":"x"}]},"outputDimensionality":0}]}""", "requests[0].outputDimensionality")]
    public void Gemini_ParseBatch_WrongBodies_NameTheField(string json, string param)
    {
        var error = Assert.Throws<EdgeRequestException>(() => GeminiEmbeddingEdge.ParseBatch(Body(json), "m"));
        Assert.Equal(param, error.Param);
    }

    [Fact]
    public void Gemini_Write_SingleAndBatch_Golden()
    {
        OpenAIEdgeResponseWriterTests.AssertJson("""{"embedding":{"values":[1,-0.5]}}""", GeminiEmbeddingEdge.WriteSingle(Two()));
        OpenAIEdgeResponseWriterTests.AssertJson("""{"embeddings":[{"values":[1,-0.5]},{"values":[0.25,0.125]}]}""", GeminiEmbeddingEdge.WriteBatch(Two()));
    }
}
