using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using StackExchange.Redis;
using Xunit;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>A Redis-compatible server on 127.0.0.1 that a test talks to over TCP, as the workers would.</summary>
public abstract class SharedQuotaServer : IDisposable
{
    protected SharedQuotaServer(int port, string description)
    {
        Port = port;
        Description = description;
    }

    public int Port { get; }

    /// <summary>What ran, with its version, for the test output.</summary>
    public string Description { get; }

    /// <summary>The server as StackExchange.Redis's configuration names it.</summary>
    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public abstract void Dispose();

    protected void WaitUntilItAnswers(Func<bool> hasExited)
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                stream.ReadTimeout = 10_000;
                stream.Write(Encoding.ASCII.GetBytes("PING\r\n"));
                var reply = new byte[7];
                var read = stream.Read(reply, 0, reply.Length);
                if (Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < giveUp && !hasExited())
            {
            }

            if (DateTime.UtcNow >= giveUp || hasExited())
            {
                throw new InvalidOperationException(Description + " on port " + Port + " did not answer PING.");
            }

            Thread.Sleep(20);
        }
    }
}

/// <summary>
/// The servers the shared-quota tests run against, each started once for the whole run and on first use: real
/// redis-server when it is on PATH (CI installs it), and Garnet in-process always, so that a fresh clone with only
/// the .NET SDK passes too. Tests of the store's contract run against each (<see cref="Kinds"/>); the worker
/// process scenarios against <see cref="Preferred"/>.
/// </summary>
public sealed class SharedQuotaServers : IDisposable
{
    public const string Redis = "redis-server";
    public const string Garnet = "garnet";

    private readonly ConcurrentDictionary<string, Lazy<SharedQuotaServer>> _servers = new();

    /// <summary>The servers on this machine: Garnet always, redis-server when it is on PATH.</summary>
    public static TheoryData<string> Kinds
    {
        get
        {
            var kinds = new TheoryData<string>();
            if (RedisServerProcess.Executable is not null)
            {
                kinds.Add(Redis);
            }

            kinds.Add(Garnet);
            return kinds;
        }
    }

    /// <summary>Real redis-server where there is one, else Garnet.</summary>
    public SharedQuotaServer Preferred => this[RedisServerProcess.Executable is null ? Garnet : Redis];

    public SharedQuotaServer this[string kind] =>
        _servers.GetOrAdd(kind, k => new Lazy<SharedQuotaServer>(() => Start(k, FreePort()))).Value;

    /// <summary>A server of the caller's own, on a port the caller chose, for tests that stop it or start it late.</summary>
    public static SharedQuotaServer Start(string kind, int port)
    {
        SharedQuotaServer server = kind switch
        {
            Redis => RedisServerProcess.Start(port),
            Garnet => EmbeddedGarnet.Start(port),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown server."),
        };

        // The first script a server runs costs it the most (Garnet in this process compiles its Lua and sorted-set
        // paths on first use, a second or more on a busy machine); paid here, it does not count against a test's
        // timeouts.
        using (var connection = ConnectionMultiplexer.Connect(server.Configuration + ",connectTimeout=30000,syncTimeout=30000"))
        {
            connection.GetDatabase().ScriptEvaluate("redis.call('ZADD', KEYS[1], 1, 'warm-up') return redis.call('ZCARD', KEYS[1])", new RedisKey[] { "warm-up" });
        }

        return server;
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose()
    {
        foreach (var server in _servers.Values)
        {
            if (server.IsValueCreated)
            {
                server.Value.Dispose();
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SharedQuotaCollection : ICollectionFixture<SharedQuotaServers>
{
    public const string Name = "Shared quota servers";
}
