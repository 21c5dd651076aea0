using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Airlock.Launcher.IntegrationTests.Infrastructure;

/// <summary>
/// A FAKE OpenAI-compatible model server (there are no model weights on these machines): on 127.0.0.1 at a free port it
/// serves GET /v1/models, POST /v1/chat/completions (plain and SSE), POST /v1/responses (SSE, Codex's API) and POST
/// /v1/messages (Anthropic's, plain and SSE), always answering <see cref="Reply"/>. It records every request, so a
/// test can assert that a real agent's request arrived with the chosen model.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    /// <summary>What every completion answers: recognisable in an agent's output.</summary>
    public const string Reply = "FAKE-MODEL-SERVER-REPLY ok";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeModelServer(WebApplication app, Uri address)
    {
        _app = app;
        Port = address.Port;
        BaseUrl = $"{address.Scheme}://{address.Host}:{address.Port}/v1";
    }

    public int Port { get; }

    /// <summary>The base URL as the host sees it.</summary>
    public string BaseUrl { get; }

    /// <summary>The model ids /v1/models lists.</summary>
    public List<string> Models { get; } = ["fake-alpha", "fake-beta", "fake-gamma"];

    /// <summary>When set, /v1/models answers this status (with a small JSON error body) instead of the list.</summary>
    public int? ModelsStatus { get; set; }

    /// <summary>When set, /v1/models answers 200 with this body instead of the list.</summary>
    public string? ModelsBody { get; set; }

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    /// <summary>Completion requests (chat, responses, messages): what agents sent to talk to the model.</summary>
    public IReadOnlyList<RecordedRequest> Completions => Requests.Where(r => r.Method == "POST").ToList();

    /// <summary>
    /// On the host's loopback over plain HTTP; or on <paramref name="address"/> over HTTPS with <paramref name="certificate"/>
    /// (a cloud endpoint, whose key the policy point adds).
    /// </summary>
    public static async Task<FakeModelServer> StartAsync(IPAddress? address = null, X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(address ?? IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        FakeModelServer? server = null;
        app.Run(ctx => server!.HandleAsync(ctx));
        await app.StartAsync();
        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FakeModelServer(app, new Uri(listening));
        return server;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var body = await new StreamReader(ctx.Request.Body, Encoding.UTF8).ReadToEndAsync();
        JsonNode? json = null;
        try
        {
            json = body.Length > 0 ? JsonNode.Parse(body) : null;
        }
        catch (JsonException)
        {
            // Recorded as sent; the test decides whether that matters.
        }

        var path = ctx.Request.Path.Value ?? "";
        var model = (json as JsonObject)?["model"]?.GetValue<string>();
        var stream = (json as JsonObject)?["stream"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;
        _requests.Enqueue(new RecordedRequest(ctx.Request.Method, path, model, stream, body, ctx.Request.Headers.Authorization.ToString()));

        switch (ctx.Request.Method, path)
        {
            case ("GET", "/v1/models"):
                await ModelsAsync(ctx);
                break;
            case ("POST", "/v1/chat/completions"):
                await ChatAsync(ctx, model, stream);
                break;
            case ("POST", "/v1/responses"):
                await ResponsesAsync(ctx, model);
                break;
            case ("POST", "/v1/messages"):
                await MessagesAsync(ctx, model, stream);
                break;
            default:
                ctx.Response.StatusCode = 404;
                await ctx.Response.WriteAsJsonAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = $"fake server: no route {ctx.Request.Method} {path}" } });
                break;
        }
    }

    private async Task ModelsAsync(HttpContext ctx)
    {
        if (ModelsStatus is { } status)
        {
            ctx.Response.StatusCode = status;
            await ctx.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["message"] = $"fake server refuses with {status}" } }.ToJsonString());
            return;
        }

        ctx.Response.ContentType = "application/json";
        if (ModelsBody is { } custom)
        {
            await ctx.Response.WriteAsync(custom);
            return;
        }

        var data = new JsonArray(Models.Select(m => (JsonNode)new JsonObject { ["id"] = m, ["object"] = "model", ["owned_by"] = "fake" }).ToArray());
        await ctx.Response.WriteAsync(new JsonObject { ["object"] = "list", ["data"] = data }.ToJsonString());
    }

    private static async Task ChatAsync(HttpContext ctx, string? model, bool stream)
    {
        var usage = new JsonObject { ["prompt_tokens"] = 1, ["completion_tokens"] = 1, ["total_tokens"] = 2 };
        if (!stream)
        {
            await ctx.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = 1,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Reply },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = usage,
            });
            return;
        }

        JsonObject Chunk(JsonObject delta, string? finish) => new()
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion.chunk",
            ["created"] = 1,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
        };
        var last = Chunk([], "stop");
        last["usage"] = usage;
        await SseAsync(ctx, [
            (null, Chunk(new JsonObject { ["role"] = "assistant", ["content"] = Reply }, null).ToJsonString()),
            (null, last.ToJsonString()),
            (null, "[DONE]"),
        ]);
    }

    private static async Task ResponsesAsync(HttpContext ctx, string? model)
    {
        JsonObject Message(string status) => new()
        {
            ["type"] = "message",
            ["id"] = "msg_fake",
            ["role"] = "assistant",
            ["status"] = status,
            ["content"] = status == "completed" ? new JsonArray(new JsonObject { ["type"] = "output_text", ["text"] = Reply, ["annotations"] = new JsonArray() }) : new JsonArray(),
        };
        JsonObject Response(string status, JsonArray output) => new()
        {
            ["id"] = "resp_fake",
            ["object"] = "response",
            ["created_at"] = 1,
            ["status"] = status,
            ["model"] = model,
            ["output"] = output,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = 1,
                ["output_tokens"] = 1,
                ["total_tokens"] = 2,
                ["input_tokens_details"] = new JsonObject { ["cached_tokens"] = 0 },
                ["output_tokens_details"] = new JsonObject { ["reasoning_tokens"] = 0 },
            },
        };
        await SseAsync(ctx, [
            ("response.created", new JsonObject { ["type"] = "response.created", ["response"] = Response("in_progress", []) }.ToJsonString()),
            ("response.output_item.added", new JsonObject { ["type"] = "response.output_item.added", ["output_index"] = 0, ["item"] = Message("in_progress") }.ToJsonString()),
            ("response.output_text.delta", new JsonObject { ["type"] = "response.output_text.delta", ["item_id"] = "msg_fake", ["output_index"] = 0, ["content_index"] = 0, ["delta"] = Reply }.ToJsonString()),
            ("response.output_item.done", new JsonObject { ["type"] = "response.output_item.done", ["output_index"] = 0, ["item"] = Message("completed") }.ToJsonString()),
            ("response.completed", new JsonObject { ["type"] = "response.completed", ["response"] = Response("completed", [Message("completed")]) }.ToJsonString()),
        ]);
    }

    private static async Task MessagesAsync(HttpContext ctx, string? model, bool stream)
    {
        var usage = new JsonObject { ["input_tokens"] = 1, ["output_tokens"] = 1 };
        if (!stream)
        {
            await ctx.Response.WriteAsJsonAsync(new JsonObject
            {
                ["id"] = "msg_fake",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = Reply }),
                ["stop_reason"] = "end_turn",
                ["usage"] = usage,
            });
            return;
        }

        await SseAsync(ctx, [
            ("message_start", new JsonObject
            {
                ["type"] = "message_start",
                ["message"] = new JsonObject { ["id"] = "msg_fake", ["type"] = "message", ["role"] = "assistant", ["model"] = model, ["content"] = new JsonArray(), ["stop_reason"] = null, ["usage"] = usage },
            }.ToJsonString()),
            ("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
            ("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = Reply } }.ToJsonString()),
            ("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            ("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1}}"""),
            ("message_stop", """{"type":"message_stop"}"""),
        ]);
    }

    private static async Task SseAsync(HttpContext ctx, IEnumerable<(string? Event, string Data)> events)
    {
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        foreach (var (name, data) in events)
        {
            var text = (name is null ? "" : $"event: {name}\n") + $"data: {data}\n\n";
            await ctx.Response.WriteAsync(text);
            await ctx.Response.Body.FlushAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request the fake model server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string? Model, bool Stream, string Body, string Authorization);
