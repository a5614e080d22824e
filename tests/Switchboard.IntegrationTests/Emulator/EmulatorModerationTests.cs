using System.Net;
using System.Text;
using Switchboard.Emulator;
using static Switchboard.IntegrationTests.Emulator.EmulatorTestSupport;

namespace Switchboard.IntegrationTests.Emulator;

/// <summary>The emulated <c>POST /v1/moderations</c>: deterministic verdicts, one result per input, validation.</summary>
public sealed class EmulatorModerationTests
{
    [Fact]
    public async Task FlagsExactlyTheInputsWithTheMarker_OneResultEach()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        using var response = await http.PostAsync(new Uri("v1/moderations", UriKind.Relative),
            new StringContent("""{"model":"omni-moderation-latest","input":["hello","this has a MODERATION-TRIGGER in it"]}""", Encoding.UTF8, "application/json"),
            cts.Token);
        var body = Json(await response.Content.ReadAsStringAsync(cts.Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = body["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.False((bool)results[0]!["flagged"]!);
        Assert.True((bool)results[1]!["flagged"]!);
        Assert.True((bool)results[1]!["categories"]!["harassment"]!);
        Assert.False((bool)results[1]!["categories"]!["violence"]!);
        Assert.Equal("omni-moderation-latest", (string?)body["model"]);
    }

    [Fact]
    public async Task MissingInput_Is400()
    {
        using var cts = Timeout();
        await using var host = await EmulatorHost.StartAsync(cancellationToken: cts.Token);
        using var http = Client(host.BaseUrl);

        using var response = await http.PostAsync(new Uri("v1/moderations", UriKind.Relative),
            new StringContent("""{"model":"m"}""", Encoding.UTF8, "application/json"), cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", (string?)Json(await response.Content.ReadAsStringAsync(cts.Token))["error"]!["param"]);
    }
}
