using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Emulator;

/// <summary>
/// OpenAI's <c>POST /v1/moderations</c>, emulated: an input is flagged (category <c>harassment</c>) exactly when it
/// contains <see cref="Marker"/>, case-insensitively. <c>input</c> may be a string or an array of strings.
/// </summary>
internal sealed class ModerationEndpoint(EmulatorRecorder recorder)
{
    /// <summary>The word that makes an input flagged.</summary>
    public const string Marker = "moderation-trigger";

    private static readonly string[] s_categories =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent", "self-harm",
        "self-harm/instructions", "self-harm/intent", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        var body = JsonText.TryParseObject(text);
        var model = JsonText.Str(body?["model"]) ?? "omni-moderation-latest";
        var sequence = recorder.NextSequence();
        recorder.Record("moderation", context.Request.Path.Value ?? "", model, text, context.Request.Headers);
        var inputs = body?["input"] switch
        {
            JsonValue v when JsonText.Str(v) is { } s => [s],
            JsonArray a => a.Select(JsonText.Str).Where(s => s is not null).Select(s => s!).ToList(),
            _ => null,
        };
        if (inputs is null)
        {
            await EmulatorPipeline.WriteJsonAsync(context, 400,
                "{\"error\":{\"message\":\"'input' must be a string or an array of strings.\",\"type\":\"invalid_request_error\",\"param\":\"input\",\"code\":null}}", ct);
            return;
        }

        var results = new JsonArray();
        foreach (var input in inputs)
        {
            var flagged = input.Contains(Marker, StringComparison.OrdinalIgnoreCase);
            var categories = new JsonObject();
            var scores = new JsonObject();
            foreach (var category in s_categories)
            {
                var hit = flagged && category == "harassment";
                categories[category] = hit;
                scores[category] = hit ? 0.97 : 0.0001;
            }

            results.Add(new JsonObject { ["flagged"] = flagged, ["categories"] = categories, ["category_scores"] = scores });
        }

        var reply = new JsonObject
        {
            ["id"] = string.Create(CultureInfo.InvariantCulture, $"modr-EMU{sequence:D8}"),
            ["model"] = model,
            ["results"] = results,
        };
        await EmulatorPipeline.WriteJsonAsync(context, 200, reply.ToJsonString(), ct);
    }
}
