using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using Xunit;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>
/// A redis-server of the tests' own on 127.0.0.1 and a free port, with nothing persisted, stopped at the end.
/// A machine without redis-server fails these tests with a clear message rather than skipping them.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process _process;

    public RedisServer()
    {
        var executable = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(folder => Path.Combine(folder, "redis-server"))
            .FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not on PATH. The shared-quota tests start their own: install it (apt-get install redis-server; .ci/run does).");

        Port = FreePort();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitUntilItAnswers();
    }

    public int Port { get; }

    /// <summary>The server as StackExchange.Redis's configuration names it.</summary>
    public string Configuration => "127.0.0.1:" + Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void WaitUntilItAnswers()
    {
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                var stream = client.GetStream();
                stream.Write(Encoding.ASCII.GetBytes("PING\r\n"));
                var reply = new byte[7];
                var read = stream.Read(reply, 0, reply.Length);
                if (Encoding.ASCII.GetString(reply, 0, read).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (SocketException) when (DateTime.UtcNow < giveUp && !_process.HasExited)
            {
            }

            if (DateTime.UtcNow >= giveUp || _process.HasExited)
            {
                throw new InvalidOperationException("redis-server on port " + Port + " did not answer PING.");
            }

            Thread.Sleep(20);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class RedisCollection : ICollectionFixture<RedisServer>
{
    public const string Name = "Redis";
}
