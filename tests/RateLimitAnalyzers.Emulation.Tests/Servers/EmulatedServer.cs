using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RateLimitAnalyzers.Emulation.Tests.Servers;

/// <summary>Real Kestrel on 127.0.0.1 and a free port, answering every request with one handler.</summary>
internal sealed class EmulatedServer : IAsyncDisposable
{
    // Starting and stopping a local server takes milliseconds; a hang fails the test instead of the run.
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;

    private EmulatedServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens, ending in a slash.</summary>
    public Uri BaseAddress { get; }

    public static async Task<EmulatedServer> StartAsync(RequestDelegate handle)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync().WaitAsync(s_bound);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new EmulatedServer(app, new Uri(address.TrimEnd('/') + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        using (var stop = new CancellationTokenSource(s_bound))
        {
            // Past the bound, Kestrel abandons the connections still open instead of waiting for them.
            await _app.StopAsync(stop.Token);
        }

        await _app.DisposeAsync().AsTask().WaitAsync(s_bound);
    }
}
