using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;

namespace RateLimitAnalyzers.Emulation.Tests.SharedQuota;

/// <summary>One worker in a process of its own (<c>dotnet RateLimitAnalyzers.Emulation.Worker.dll</c>): it shares nothing in memory with the others.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private WorkerProcess(string name, string output, Process process)
    {
        Name = name;
        Output = output;
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
    }

    public string Name { get; }

    /// <summary>The file the worker writes the call IDs it received to.</summary>
    public string Output { get; }

    public static WorkerProcess Start(string name, params string[] arguments)
    {
        var output = Path.Combine(Path.GetTempPath(), "ratelimit-worker-" + Guid.NewGuid().ToString("N") + ".txt");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "RateLimitAnalyzers.Emulation.Worker.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add(output);
        return new WorkerProcess(name, output, Process.Start(start)!);
    }

    /// <summary>Waits for the worker to end; its exit code and what it wrote to stderr.</summary>
    public async Task<(int ExitCode, string Errors)> WaitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (_process.ExitCode, await _errors.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    public bool HasExited => _process.HasExited;

    public void Kill() => _process.Kill(entireProcessTree: true);

    public IReadOnlyList<string> Received() => File.Exists(Output) ? File.ReadAllLines(Output).Where(l => l.Length > 0).ToArray() : Array.Empty<string>();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
        File.Delete(Output);
    }
}
