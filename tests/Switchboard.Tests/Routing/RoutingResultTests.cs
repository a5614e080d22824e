using Switchboard.Chat;

namespace Switchboard.Tests.Routing;

public sealed class RoutingResultTests
{
    [Fact]
    public void Attempts_ReadBeforeALaterAttempt_KeepsWhatItHad()
    {
        var h = new RouterHarness();
        var deployment = h.Deployment("openai", "gpt-4.1");
        var result = new RoutingResult { RequestId = "r1" };
        result.Add(Attempt(deployment, 1));

        var before = result.Attempts;
        result.Add(Attempt(deployment, 2));

        Assert.Equal([1], before.Select(a => a.AttemptNumber));
        Assert.Equal([1, 2], result.Attempts.Select(a => a.AttemptNumber));
    }

    private static AttemptRecord Attempt(Deployment deployment, int number) => new()
    {
        RequestId = "r1",
        AttemptNumber = number,
        StartedAt = DateTimeOffset.UnixEpoch,
        Deployment = deployment,
        Outcome = AttemptOutcome.Success,
        Duration = TimeSpan.FromMilliseconds(5),
    };
}
