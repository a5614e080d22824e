using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Switchboard.IntegrationTests.Gateway;

/// <summary>Whatever happens, no provider key, virtual key or master key reaches a log line.</summary>
public sealed class GatewaySecretsTests
{
    [Fact]
    public async Task Logs_NeverContainAKey()
    {
        var virtualKeys = new List<string>();
        await using (var fx = await GatewayFixture.StartAsync())
        {
            using (var created = await fx.Http.PostAsJsonAsync("admin/keys", new { name = "logged" }))
            {
                virtualKeys.Add((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!);
            }

            using var client = fx.WithKey(virtualKeys[0]);
            var body = """{"model":"smart","messages":[{"role":"user","content":"hi"}]}""";
            (await client.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"))).Dispose();
            fx.Emulator.Options.ProviderFaults["anthropic"] = "error=auth";
            fx.Emulator.Options.ProviderFaults["openai"] = "status=500";
            fx.Emulator.Options.ProviderFaults["gemini"] = "reset";
            (await client.PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"))).Dispose();
            (await fx.WithKey("sb-wrong" + virtualKeys[0][8..]).PostAsync("v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"))).Dispose();
        }

        var secrets = new[] { GatewayFixture.MasterKey, GatewayFixture.OpenAIKey, GatewayFixture.AnthropicKey, GatewayFixture.GeminiKey }.Concat(virtualKeys).ToList();
        var lines = LogSink.Shared.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }
}
