using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Xml.Linq;

namespace RateLimitAnalyzers.PackageTests;

/// <summary>Runs the dotnet CLI the way a user would, in a clean environment, with a hard time limit.</summary>
internal static class DotNetCli
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromMinutes(5);

    public static CliResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, environment: null, arguments);

    /// <summary>Runs with <paramref name="environment"/> added to the child's variables (NUGET_PACKAGES, for one).</summary>
    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs inside an MSBuild-launched process; its MSBuild variables would make the
        // child CLI load the wrong SDK pieces.
        foreach (var name in new[] { "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildExtensionsPath", "MSBuildLoadMicrosoftTargetsReadOnly", "VSTEST_HOST_DEBUG" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(s_timeLimit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet {string.Join(" ", arguments)}' did not finish within {s_timeLimit}.\n{output}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, output.ToString(), "dotnet " + string.Join(" ", arguments));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}

internal sealed record CliResult(int ExitCode, string Output, string Command)
{
    public override string ToString() => $"{Command} exited with {ExitCode}:\n{Output}";
}

internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RateLimitAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RateLimitAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A property as Directory.Build.props sets it, the one place the repository writes it.</summary>
    public static string BuildProperty(string name) =>
        XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants(name).Single().Value;

    public static string NewTemporaryDirectory(string purpose)
    {
        var path = Path.Combine(Path.GetTempPath(), "rla-" + purpose + "-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        Directory.CreateDirectory(path);
        return path;
    }
}
