using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>
/// Stands between the limiter and the server on loopback, to take the server away and give it back without the
/// client noticing anything but the network: <see cref="Refusing"/> closes every new connection at once (a Redis
/// that cannot be reached), <see cref="Stalled"/> holds every byte (a Redis that stopped answering).
/// </summary>
internal sealed class TcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _serverPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _connections = new();
    private volatile bool _refusing;
    private volatile bool _stalled;

    public TcpProxy(int serverPort)
    {
        _serverPort = serverPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    /// <summary>The proxy as StackExchange.Redis's configuration names it.</summary>
    public string Configuration => "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

    public bool Refusing
    {
        get => _refusing;
        set => _refusing = value;
    }

    public bool Stalled
    {
        get => _stalled;
        set => _stalled = value;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_connections)
        {
            _connections.ForEach(c => c.Dispose());
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is SocketException || e is ObjectDisposedException)
            {
                return;
            }

            if (_refusing)
            {
                client.Dispose();
                continue;
            }

            var server = new TcpClient();
            lock (_connections)
            {
                _connections.Add(client);
                _connections.Add(server);
            }

            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _serverPort, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException || e is SocketException)
            {
                client.Dispose();
                continue;
            }

            _ = PumpAsync(client, server);
            _ = PumpAsync(server, client);
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                while (_stalled)
                {
                    await Task.Delay(10, _stop.Token);
                }

                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException || e is System.IO.IOException || e is ObjectDisposedException || e is InvalidOperationException)
        {
        }

        from.Dispose();
        to.Dispose();
    }
}
