using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

internal sealed class AgoraOptions
{
    /// <summary>The queries-per-second quota of the App ID (Standard plan: 1 per second).</summary>
    public QuotaRule PerSecond { get; init; } = new(5, TimeSpan.FromMilliseconds(200));

    /// <summary>The daily quota of the App ID (Standard plan: 1,000 per day), counted on the server's clock.</summary>
    public QuotaRule PerDay { get; init; } = new(40, TimeSpan.FromSeconds(2));

    /// <summary>Calls on record, one per second of <c>ts</c> from 0.</summary>
    public int Calls { get; init; } = 400;

    public int DefaultPageSize { get; init; } = 10;

    public int MaxPageSize { get; init; } = 20;

    /// <summary>The variant that refuses with HTTP 429 (and the same body) instead of 200.</summary>
    public bool RefuseWith429 { get; init; }
}

/// <summary>
/// Agora Analytics <c>GET /beta/analytics/call/lists</c>: a quota per App ID (the Basic-auth customer) of a
/// per-second and a per-day window together, fixed windows on the server's clock, cumulative across every client
/// using the credentials. Over quota: <c>{"code":300,"message":"Service package limit check error, qps limit
/// error","data":null}</c> (<c>qpd</c> for the daily window) with 200, or 429 in the variant. Cursor paging over
/// <c>start_ts</c>..<c>end_ts</c>, ending with an empty page; <c>page_size</c> honoured up to a maximum.
/// </summary>
internal sealed class AgoraCallListsApi : EmulatedApi<AgoraOptions>
{
    public const string Path = "/beta/analytics/call/lists";

    private readonly Dictionary<string, (FixedWindowCount PerSecond, FixedWindowCount PerDay)> _quotas = new();
    private readonly List<(string Client, int Asked, int Served)> _pages = new();

    private AgoraCallListsApi(AgoraOptions options)
        : base(options)
    {
    }

    public static Task<AgoraCallListsApi> StartAsync(AgoraOptions options) => StartAsync(new AgoraCallListsApi(options));

    public static string CallId(long ts) => "call-" + ts.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The calls an export of <c>[start, end)</c> must deliver.</summary>
    public IReadOnlyList<string> CallIds(long start, long end) =>
        Enumerable.Range(0, Options.Calls).Where(ts => ts >= start && ts < end).Select(ts => CallId(ts)).ToArray();

    /// <summary>The pages the server answered a client with: the <c>page_size</c> asked for (0 when none), and the calls sent.</summary>
    public IReadOnlyList<(int Asked, int Served)> PagesServedTo(string client)
    {
        lock (_pages)
        {
            return _pages.Where(p => p.Client == client).Select(p => (p.Asked, p.Served)).ToArray();
        }
    }

    /// <summary>Requests the quota could have accepted between the first and last arrival: a full window of each, every window.</summary>
    public override int Capacity(TimeSpan first, TimeSpan last) =>
        Math.Min(FixedCapacity(Options.PerSecond, first, last), FixedCapacity(Options.PerDay, first, last));

    public override Func<TimeSpan, bool> NewQuota()
    {
        var quota = (new FixedWindowCount(Options.PerSecond), new FixedWindowCount(Options.PerDay));
        return now => Admit(quota, now) is null;
    }

    /// <summary>Counts a request at <paramref name="now"/> in both windows if both have room; else says which refuses it.</summary>
    private static string? Admit((FixedWindowCount PerSecond, FixedWindowCount PerDay) quota, TimeSpan now)
    {
        if (!quota.PerSecond.HasRoom(now))
        {
            return "qps";
        }

        if (!quota.PerDay.HasRoom(now))
        {
            return "qpd";
        }

        quota.PerSecond.Record(now);
        quota.PerDay.Record(now);
        return null;
    }

    private static int FixedCapacity(QuotaRule rule, TimeSpan first, TimeSpan last) =>
        (int)((last.Ticks / rule.Window.Ticks) - (first.Ticks / rule.Window.Ticks) + 1) * rule.Limit;

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var appId = Callers.Of(request);
        if (request.Path != Path || request.Method != HttpMethods.Get)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (appId is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var now = ServerClock.Now;
        string? refusal = null;
        lock (_quotas)
        {
            if (!_quotas.TryGetValue(appId, out var quota))
            {
                quota = (new FixedWindowCount(Options.PerSecond), new FixedWindowCount(Options.PerDay));
                _quotas.Add(appId, quota);
            }

            refusal = Admit(quota, now);
        }

        Log.Add(new Arrival(now, appId, Callers.Client(request), Path, refusal is not null, null, Callers.SentAt(request)));
        context.Response.ContentType = "application/json";
        if (refusal is not null)
        {
            context.Response.StatusCode = Options.RefuseWith429 ? StatusCodes.Status429TooManyRequests : StatusCodes.Status200OK;
            await context.Response.WriteAsync("{\"code\":300,\"message\":\"Service package limit check error, " + refusal + " limit error\",\"data\":null}");
            return;
        }

        var query = request.Query;
        var start = Number(query["start_ts"], 0);
        var end = Number(query["end_ts"], Options.Calls);
        var asked = Number(query["page_size"], 0);
        var size = (int)Math.Min(asked > 0 ? asked : Options.DefaultPageSize, Options.MaxPageSize);
        var from = Math.Max(start, Number(query["cursor"], start));
        var calls = new List<object>();
        for (var ts = from; ts < end && ts < Options.Calls && calls.Count < size; ts++)
        {
            calls.Add(new { call_id = CallId(ts), ts });
        }

        lock (_pages)
        {
            _pages.Add((Callers.Client(request), (int)Math.Min(asked, int.MaxValue), calls.Count));
        }

        var next = (from + calls.Count).ToString(CultureInfo.InvariantCulture);
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { code = 0, message = "success", data = new { cursor = next, call_lists = calls } }));
    }

    private static long Number(string? text, long fallback) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
