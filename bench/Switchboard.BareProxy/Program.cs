using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchboard.BareProxy;

// The floor scripts/bench.sh measures Switchboard against: what .NET itself costs to translate one OpenAI chat request.
// Kestrel + IHttpClientFactory; parse the request with System.Text.Json (source-generated), rewrite the model
// ("openai/gpt-4.1-mini" → "gpt-4.1-mini"), forward it to the upstream, parse the answer, rewrite its model back, write it.
// No auth, routing, logging, metrics, ledger or guardrails; non-streaming only.
//   dotnet Switchboard.BareProxy.dll --urls http://127.0.0.1:PORT --upstream http://127.0.0.1:EMU/v1/ --key sk-...
// GET /debug/allocated answers GC.GetTotalAllocatedBytes (bench.sh's allocated bytes per request).
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var upstream = new Uri(builder.Configuration["upstream"] ?? "http://127.0.0.1:8081/v1/");
var key = builder.Configuration["key"] ?? "sk-bare";
builder.Services.AddHttpClient("upstream", c =>
{
    c.BaseAddress = upstream;
    c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
});
var app = builder.Build();

app.MapPost("/v1/chat/completions", async (HttpContext http, IHttpClientFactory clients) =>
{
    var request = await JsonSerializer.DeserializeAsync(http.Request.Body, BareJson.Default.ChatRequest, http.RequestAborted);
    if (request?.Model is null || request.Messages is null)
    {
        http.Response.StatusCode = 400;
        return;
    }

    var requested = request.Model;
    request.Model = requested[(requested.IndexOf('/', StringComparison.Ordinal) + 1)..];
    using var content = JsonContent.Create(request, BareJson.Default.ChatRequest);
    using var answer = await clients.CreateClient("upstream").PostAsync("chat/completions", content, http.RequestAborted);
    await using var body = await answer.Content.ReadAsStreamAsync(http.RequestAborted);
    var response = await JsonSerializer.DeserializeAsync(body, BareJson.Default.ChatResponse, http.RequestAborted);
    http.Response.StatusCode = (int)answer.StatusCode;
    if (response is null)
    {
        return;
    }

    response.Model = requested;
    http.Response.ContentType = "application/json";
    await JsonSerializer.SerializeAsync(http.Response.Body, response, BareJson.Default.ChatResponse, http.RequestAborted);
});
app.MapGet("/debug/allocated", () => GC.GetTotalAllocatedBytes(precise: true).ToString(System.Globalization.CultureInfo.InvariantCulture));
app.MapGet("/", () => "bare proxy");
await app.RunAsync();
