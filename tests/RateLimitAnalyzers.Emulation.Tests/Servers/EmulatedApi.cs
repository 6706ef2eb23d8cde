using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

/// <summary>What every emulated API has: its options, its own record of requests, and a server to answer them.</summary>
internal abstract class EmulatedApi<TOptions> : IAsyncDisposable
{
    private EmulatedServer? _server;

    protected EmulatedApi(TOptions options)
    {
        Options = options;
    }

    public TOptions Options { get; }

    public ServerLog Log { get; } = new();

    public Uri BaseAddress => _server!.BaseAddress;

    /// <summary>Requests the quota could have accepted between the first and the last arrival.</summary>
    public abstract int Capacity(TimeSpan first, TimeSpan last);

    /// <summary>
    /// A fresh quota for one caller and operation, counted as the server counts it: it admits a request at the time
    /// given, and counts it if it does (<see cref="ServerLog.OverQuotaAsSent"/> replays a client's requests through it).
    /// </summary>
    public abstract Func<TimeSpan, bool> NewQuota();

    public ValueTask DisposeAsync() => _server!.DisposeAsync();

    protected static async Task<TApi> StartAsync<TApi>(TApi api)
        where TApi : EmulatedApi<TOptions>
    {
        api._server = await EmulatedServer.StartAsync(api.HandleAsync);
        return api;
    }

    protected abstract Task HandleAsync(HttpContext context);
}
