using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

internal sealed class ApplicationCollectionOptions
{
    /// <summary>The rolling quota of each operation per account (documented windows: 24 h).</summary>
    public QuotaRule PerOperation { get; init; } = new(10, TimeSpan.FromSeconds(1));

    public int Artifacts { get; init; } = 36;

    public int PageSize { get; init; } = 10;

    /// <summary>Digits after the point in the headers' <c>w=</c>: 0 as the real API sends it, 3 for compressed windows.</summary>
    public int SecondsDecimals { get; init; } = 3;
}

/// <summary>
/// SUSE Application Collection's Distribution Platform API: rolling windows per operation and account; refused
/// requests are not counted. Responses carry <c>ratelimit-limit: N;w=W</c> (the quota, its window in seconds) and
/// <c>ratelimit-remaining: R;w=T</c> (what is left, seconds until a request frees up); over the quota, 429. The
/// documentation shows the headers on valid requests and does not say whether the 429 lacks them: the emulator
/// sends them on the 429 too. Operations: <c>GET /v1/artifacts?page=N</c> (list, an empty page ends it) and
/// <c>GET /v1/artifacts/{id}</c> (an artifact's metadata).
/// </summary>
internal sealed class ApplicationCollectionApi : EmulatedApi<ApplicationCollectionOptions>
{
    public const string ListOperation = "list";
    public const string MetadataOperation = "metadata";

    private readonly Dictionary<(string Account, string Operation), RollingLog> _quotas = new();
    private readonly List<(string Account, string ArtifactId)> _served = new();

    private ApplicationCollectionApi(ApplicationCollectionOptions options)
        : base(options)
    {
    }

    public static Task<ApplicationCollectionApi> StartAsync(ApplicationCollectionOptions options) => StartAsync(new ApplicationCollectionApi(options));

    public static string ArtifactId(int index) => "artifact-" + index.ToString("D4", CultureInfo.InvariantCulture);

    public IReadOnlyList<string> ArtifactIds => Enumerable.Range(0, Options.Artifacts).Select(ArtifactId).ToArray();

    /// <summary>The artifacts whose metadata the server sent an account, once per successful request.</summary>
    public IReadOnlyList<string> MetadataServedTo(string account)
    {
        lock (_served)
        {
            return _served.Where(s => s.Account == account).Select(s => s.ArtifactId).ToArray();
        }
    }

    /// <summary>What the quotas of both operations could have accepted in the span: each is a quota of its own.</summary>
    public override int Capacity(TimeSpan first, TimeSpan last) => 2 * Options.PerOperation.Limit * (int)(((last - first).Ticks / Options.PerOperation.Window.Ticks) + 1);

    public override Func<TimeSpan, bool> NewQuota()
    {
        var log = new RollingLog(Options.PerOperation);
        return now => log.TryAccept(now, out _, out _);
    }

    protected override async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var account = Callers.Of(request);
        var path = request.Path.Value ?? string.Empty;
        string operation;
        string? artifact = null;
        if (path == "/v1/artifacts")
        {
            operation = ListOperation;
        }
        else if (path.StartsWith("/v1/artifacts/", StringComparison.Ordinal))
        {
            operation = MetadataOperation;
            artifact = path.Substring("/v1/artifacts/".Length);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (account is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (artifact is not null && !ArtifactIds.Contains(artifact))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var now = ServerClock.Now;
        bool accepted;
        int remaining;
        TimeSpan freesIn;
        lock (_quotas)
        {
            if (!_quotas.TryGetValue((account, operation), out var log))
            {
                log = new RollingLog(Options.PerOperation);
                _quotas.Add((account, operation), log);
            }

            accepted = log.TryAccept(now, out remaining, out freesIn);
            if (accepted && artifact is not null)
            {
                lock (_served)
                {
                    _served.Add((account, artifact));
                }
            }
        }

        var rule = Options.PerOperation;
        var (sent, text) = HeaderSeconds.Format(freesIn, Options.SecondsDecimals);
        context.Response.Headers["ratelimit-limit"] = rule.Limit.ToString(CultureInfo.InvariantCulture) + ";w=" + HeaderSeconds.Format(rule.Window, Options.SecondsDecimals).Text;
        context.Response.Headers["ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture) + ";w=" + text;
        Log.Add(new Arrival(now, account, Callers.Client(request), operation, !accepted, remaining == 0 ? sent : null, Callers.SentAt(request)));
        context.Response.ContentType = "application/json";
        if (!accepted)
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            await context.Response.WriteAsync("{\"error\":\"TOO MANY REQUESTS\"}");
            return;
        }

        if (artifact is not null)
        {
            await context.Response.WriteAsync(JsonSerializer.Serialize(new { id = artifact, name = artifact.Replace("artifact-", "app-", StringComparison.Ordinal), digest = "sha256:" + artifact }));
            return;
        }

        var page = int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var items = ArtifactIds.Skip((page - 1) * Options.PageSize).Take(Options.PageSize).Select(id => new { id });
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { page, items }));
    }
}
