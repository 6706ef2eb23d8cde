using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>A redis-server process of the tests' own on 127.0.0.1, with nothing persisted, stopped at the end.</summary>
public sealed class RedisServerProcess : SharedQuotaServer
{
    private readonly Process _process;

    private RedisServerProcess(int port, Process process, string version)
        : base(port, version)
    {
        _process = process;
    }

    /// <summary>redis-server's path on PATH, or null on a machine without it.</summary>
    public static string? Executable { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "redis-server"))
        .FirstOrDefault(File.Exists);

    public static RedisServerProcess Start(int port)
    {
        var executable = Executable ?? throw new InvalidOperationException("redis-server is not on PATH.");
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServerProcess(port, process, "redis-server " + Version(executable));
        try
        {
            server.WaitUntilItAnswers(() => process.HasExited);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public override void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(30_000);
        }

        _process.Dispose();
    }

    private static string Version(string executable)
    {
        var start = new ProcessStartInfo(executable, "--version") { UseShellExecute = false, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        if (!process.WaitForExit(30_000))
        {
            process.Kill();
            throw new InvalidOperationException(executable + " --version did not end within 30 s.");
        }

        var output = process.StandardOutput.ReadToEnd();

        // "Redis server v=7.0.15 sha=... bits=64 ..."
        return output.Split(' ').FirstOrDefault(part => part.StartsWith("v=", StringComparison.Ordinal))?.Substring(2) ?? output.Trim();
    }
}
