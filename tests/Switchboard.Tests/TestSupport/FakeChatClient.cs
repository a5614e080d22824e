using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchboard.Tests.TestSupport;

/// <summary>A hand-written <see cref="IChatClient"/> whose behaviour is set by callbacks; counts its calls.</summary>
public sealed class FakeChatClient(string name) : IChatClient
{
    private int _calls;

    public string Name => name;

    public int Calls => Volatile.Read(ref _calls);

    public List<ChatOptions?> SeenOptions { get; } = [];

    /// <summary>Non-streaming behaviour; by default answers "from {name}".</summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? OnResponse { get; set; }

    /// <summary>Streaming behaviour; by default streams "from", " {name}" and usage.</summary>
    public Func<IReadOnlyList<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? OnStream { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        lock (SeenOptions)
        {
            SeenOptions.Add(options);
        }

        return OnResponse?.Invoke([.. messages], options, cancellationToken) ?? Task.FromResult(Answer(name, options?.ModelId));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        return OnStream?.Invoke([.. messages], options, cancellationToken) ?? DefaultStream(cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }

    public static ChatResponse Answer(string text, string? model, long input = 10, long output = 5) =>
        new(new ChatMessage(ChatRole.Assistant, "from " + text))
        {
            ModelId = model,
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output },
        };

    /// <summary>A stream of the given pieces then usage; with <paramref name="error"/>, throws it after <paramref name="failAfter"/> pieces.</summary>
    public static async IAsyncEnumerable<ChatResponseUpdate> Stream(IEnumerable<string> pieces, int failAfter = -1, Exception? error = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, (string?)null);
        var sent = 0;
        foreach (var piece in pieces)
        {
            if (sent == failAfter && error is not null)
            {
                throw error;
            }

            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, piece);
            sent++;
        }

        if (sent == failAfter && error is not null)
        {
            throw error;
        }

        yield return new ChatResponseUpdate
        {
            FinishReason = ChatFinishReason.Stop,
            Contents = [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = sent, TotalTokenCount = 10 + sent })],
        };
    }

    private IAsyncEnumerable<ChatResponseUpdate> DefaultStream(CancellationToken cancellationToken) =>
        Stream(["from", " " + name], cancellationToken: cancellationToken);
}
