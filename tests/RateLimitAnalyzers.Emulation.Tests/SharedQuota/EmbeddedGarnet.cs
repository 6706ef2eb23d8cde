using System.Globalization;
using Garnet;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>
/// Garnet (Microsoft.Garnet), a Redis-compatible server, in the test process: what the shared-quota tests run against
/// on a machine without redis-server, and beside it where it has one.
/// </summary>
public sealed class EmbeddedGarnet : SharedQuotaServer
{
    private readonly GarnetServer _server;

    private EmbeddedGarnet(int port, GarnetServer server)
        : base(port, "Garnet " + typeof(GarnetServer).Assembly.GetName().Version!.ToString(3) + " (in-process)")
    {
        _server = server;
    }

    public static EmbeddedGarnet Start(int port)
    {
        var server = new GarnetServer(new[]
        {
            "--bind", "127.0.0.1",
            "--port", port.ToString(CultureInfo.InvariantCulture),
            "--lua",

            // Garnet runs a script's commands as they come unless told to lock its keys for the whole script; without
            // this, concurrent check-and-record scripts interleave and grant past the limit (RedisRateLimiter's README).
            "--lua-transaction-mode",
            "--memory", "64m",
            "--index", "1m",
            "-q",
        });
        var garnet = new EmbeddedGarnet(port, server);
        try
        {
            server.Start();
            garnet.WaitUntilItAnswers(() => false);
            return garnet;
        }
        catch
        {
            garnet.Dispose();
            throw;
        }
    }

    public override void Dispose() => _server.Dispose();
}
