using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

internal sealed class ArchivaOptions
{
    /// <summary>The rolling quota per API key (documented: 100 per 60 s).</summary>
    public QuotaRule Limit { get; init; } = new(20, TimeSpan.FromMilliseconds(500));

    /// <summary>
    /// Digits after the point in Retry-After. 0 by default, whole seconds rounded up, as the real API sends it
    /// (<c>Retry-After: 45</c>): with a window compressed below a second every refusal then asks for a full second,
    /// longer than the window, which is still a wait the server may ask for and never early. 3 (milliseconds) is
    /// for a test that wants the exact wait of a compressed window, at the cost of a form the real API never sends.
    /// </summary>
    public int RetryAfterDecimals { get; init; }
}

/// <summary>
/// Archiva's event API: <c>POST /api/ingest/event</c> under a strict rolling log of N per W per API key (Bearer);
/// over it, <c>429</c>, <c>{"error":"Rate limit exceeded"}</c> and <c>Retry-After</c> equal to the time until the
/// oldest request leaves the window. Refused requests are not counted. No rate-limit headers otherwise. The list
/// endpoint, <c>GET /api/ingest/event</c>, is not limited.
/// </summary>
internal sealed class ArchivaApi : EmulatedApi<ArchivaOptions>
{
    public const string Path = "/api/ingest/event";

    private readonly Dictionary<string, RollingLog> _quotas = new();
    private readonly List<(string ApiKey, string EntityId)> _events = new();

    private ArchivaApi(ArchivaOptions options)
        : base(options)
    {
    }

    public static Task<ArchivaApi> StartAsync(ArchivaOptions options) => StartAsync(new ArchivaApi(options));

    /// <summary>The entity IDs of the events the server stored for a key, in arrival order.</summary>
    public IReadOnlyList<string> EventsOf(string apiKey)
    {
        lock (_events)
        {
            return _events.Where(e => e.ApiKey == apiKey).Select(e => e.EntityId).ToArray();
        }
    }

    public override int Capacity(TimeSpan first, TimeSpan last) => Options.Limit.Limit * (int)(((last - first).Ticks / Options.Limit.Window.Ticks) + 1);

    public override Func<TimeSpan, bool> NewQuota()
    {
        var log = new RollingLog(Options.Limit);
        return now => log.TryAccept(now, out _, out _);
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var apiKey = Callers.Of(request);
        if (request.Path != Path)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (apiKey is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        context.Response.ContentType = "application/json";
        if (request.Method == HttpMethods.Get)
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(EventsOf(apiKey).Select(id => new { entityId = id })));
            return;
        }

        var entityId = (await JsonDocument.ParseAsync(request.Body)).RootElement.GetProperty("entityId").GetString() ?? string.Empty;
        var now = ServerClock.Now;
        bool accepted;
        TimeSpan freesIn;
        lock (_quotas)
        {
            if (!_quotas.TryGetValue(apiKey, out var log))
            {
                log = new RollingLog(Options.Limit);
                _quotas.Add(apiKey, log);
            }

            accepted = log.TryAccept(now, out _, out freesIn);
            if (accepted)
            {
                lock (_events)
                {
                    _events.Add((apiKey, entityId));
                }
            }
        }

        if (accepted)
        {
            Log.Add(new Arrival(now, apiKey, Callers.Client(request), Path, false, null, Callers.SentAt(request)));
            await context.Response.WriteAsync("{\"id\":\"evt_" + entityId + "\"}");
            return;
        }

        var (sent, text) = HeaderSeconds.Format(freesIn, Options.RetryAfterDecimals);
        Log.Add(new Arrival(now, apiKey, Callers.Client(request), Path, true, sent, Callers.SentAt(request)));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = text;
        await context.Response.WriteAsync("{\"error\":\"Rate limit exceeded\"}");
    }
}
