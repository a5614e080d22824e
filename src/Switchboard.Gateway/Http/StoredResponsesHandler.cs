using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Switchboard.Gateway.Auth;
using Switchboard.Gateway.Edges;
using Switchboard.Gateway.Edges.OpenAI;
using Switchboard.Gateway.Edges.Responses.Storage;

namespace Switchboard.Gateway.Http;

/// <summary>
/// <c>GET</c> / <c>DELETE /v1/responses/{id}</c> and <c>GET /v1/responses/{id}/input_items</c>: a caller reads and deletes
/// only the responses it made; any other id (unknown, expired, another key's) answers 404 in OpenAI's error shape.
/// </summary>
internal sealed class StoredResponsesHandler(Authenticator auth, ResponsesState state)
{
    /// <summary>The response object as it was answered.</summary>
    public async Task GetAsync(HttpContext http, string id)
    {
        if (await FindAsync(http, id) is not { } stored)
        {
            return;
        }

        if (http.Request.Query["stream"].ToString() is "true")
        {
            await JsonBody.WriteAsync(http, 400, Error("Replaying a stored response as a stream is not supported by this gateway; omit 'stream'.", "stream"));
            return;
        }

        await JsonBody.WriteAsync(http, 200, Encoding.UTF8.GetBytes(stored.ResponseJson));
    }

    /// <summary>OpenAI's deletion object: <c>{"id","object":"response","deleted":true}</c>.</summary>
    public async Task DeleteAsync(HttpContext http, string id)
    {
        if (await OwnerAsync(http) is not { } owner)
        {
            return;
        }

        if (!await state.Store.DeleteAsync(id, owner, http.RequestAborted))
        {
            await NotFoundAsync(http, id);
            return;
        }

        await JsonBody.WriteAsync(http, 200, EdgeJsonWriter.Build(id, static (w, id) =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "response");
            w.WriteBoolean("deleted", true);
            w.WriteEndObject();
        }));
    }

    /// <summary>A page of the response's input items (<c>limit</c> 1–100, default 20; <c>order</c> <c>desc</c> (default) or <c>asc</c>; <c>after</c> an item id).</summary>
    public async Task InputItemsAsync(HttpContext http, string id)
    {
        var query = http.Request.Query;
        var limit = ResponsesInputItemsPage.DefaultLimit;
        if (query["limit"].ToString() is { Length: > 0 } limitText &&
            (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > ResponsesInputItemsPage.MaxLimit))
        {
            await JsonBody.WriteAsync(http, 400, Error($"'limit' must be an integer from 1 to {ResponsesInputItemsPage.MaxLimit}, but got '{limitText}'.", "limit"));
            return;
        }

        var order = query["order"].ToString() is { Length: > 0 } o ? o : "desc";
        if (order is not ("asc" or "desc"))
        {
            await JsonBody.WriteAsync(http, 400, Error($"'order' must be 'asc' or 'desc', but got '{order}'.", "order"));
            return;
        }

        if (await FindAsync(http, id) is not { } stored)
        {
            return;
        }

        byte[] page;
        try
        {
            page = ResponsesInputItemsPage.Write(stored.InputItemsJson, order, limit, query["after"].ToString() is { Length: > 0 } after ? after : null);
        }
        catch (EdgeRequestException ex)
        {
            await JsonBody.WriteAsync(http, 400, Error(ex.Message, ex.Param));
            return;
        }

        await JsonBody.WriteAsync(http, 200, page);
    }

    /// <summary>The caller's stored response <paramref name="id"/>; null after answering 401 or 404.</summary>
    private async Task<StoredResponse?> FindAsync(HttpContext http, string id)
    {
        if (await OwnerAsync(http) is not { } owner)
        {
            return null;
        }

        var stored = await state.Store.GetAsync(id, owner, http.RequestAborted);
        if (stored is null)
        {
            await NotFoundAsync(http, id);
        }

        return stored;
    }

    /// <summary>The authenticated caller's id (the owner of what it stored); null after answering 401.</summary>
    private async Task<string?> OwnerAsync(HttpContext http)
    {
        var caller = await auth.AuthenticateAsync(http, adminOnly: false);
        if (caller.Caller is null)
        {
            await JsonBody.WriteAsync(http, caller.Status, OpenAIEdgeResponseWriter.WriteError(caller.Error!, "authentication_error", "invalid_api_key", null));
            return null;
        }

        return caller.Caller.Id;
    }

    private static Task NotFoundAsync(HttpContext http, string id) =>
        JsonBody.WriteAsync(http, 404, OpenAIEdgeResponseWriter.WriteError($"Response with id '{id}' not found.", "invalid_request_error", "not_found", null));

    private static byte[] Error(string message, string? param) =>
        OpenAIEdgeResponseWriter.WriteError(message, "invalid_request_error", "invalid_request", param);
}
