using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace RateLimitAnalyzers.RealCode;

/// <summary>Restores and builds a checkout's own solutions with our analyzer added, and collects what each compile logged.</summary>
internal sealed class CorpusBuild
{
    private readonly string _analyzer;
    private readonly string _targets;
    private readonly bool _rebuild;
    private readonly bool _strict;
    private readonly IReadOnlyList<string> _skippedFrameworks;
    private readonly TextWriter _progress;

    public CorpusBuild(string analyzer, string targets, bool rebuild, bool strict, IReadOnlyList<string> skippedFrameworks, TextWriter progress)
    {
        _analyzer = analyzer;
        _targets = targets;
        _rebuild = rebuild;
        _strict = strict;
        _skippedFrameworks = skippedFrameworks;
        _progress = progress;
    }

    public sealed record Compile(string Project, string TargetFramework, string Log);

    /// <param name="Note">Anything the build did differently from the project's own, for the report; empty if nothing.</param>
    public sealed record Result(IReadOnlyList<Compile> Compiles, IReadOnlyList<BuildError> Errors, TimeSpan Duration, string Note);

    public Result Run(Checkout checkout, string results)
    {
        Directory.CreateDirectory(results);
        var compiles = Path.Combine(results, "compiles.tsv");
        File.Delete(compiles);
        var clock = Stopwatch.StartNew();
        var output = new List<string>();

        // A global.json that pins an SDK this machine lacks stops dotnet itself in the checkout; started from
        // elsewhere, dotnet uses the installed SDK and MSBuild still reads the checkout's own files.
        var workingDirectory = checkout.Root;
        var note = "";
        if (Run(checkout.Root, new[] { "--version" }).ExitCode != 0)
        {
            workingDirectory = results;
            note = "its global.json names an SDK that is not installed; built with the installed one";
        }

        foreach (var entry in checkout.EntryPoints)
        {
            // Restore on its own: a solution build stops at a failed restore, while a build after it still
            // compiles every project whose packages were found.
            output.AddRange(Dotnet(workingDirectory, "restore", entry, CommonProperties()));
            var build = CommonProperties().Concat(new[]
            {
                "--no-restore",
                "-p:CustomAfterMicrosoftCommonTargets=" + _targets,
                "-p:RateLimitRealCodeAnalyzer=" + _analyzer,
                "-p:RateLimitRealCodeResults=" + results,
                "-p:RateLimitRealCodeStrict=" + (_strict ? "true" : "false"),
            });
            output.AddRange(Dotnet(workingDirectory, "build", entry, _rebuild ? build.Append("--no-incremental") : build));
        }

        File.WriteAllLines(Path.Combine(results, "build-errors.log"), output);
        return new Result(ReadCompiles(compiles), BuildError.Parse(output).ToList(), clock.Elapsed, note);
    }

    // The project's own build, minus what would stop it or bury our findings: warnings stay warnings, the SDK's
    // own analyzers are off (their findings are not ours to read, and they cost a second compile's time), and so
    // are the trimming and AOT analyzers, whose packages for net6.0/net7.0 the package source may not serve.
    // The compiler server is not used, so a rebuilt analyzer is never served from a server's cache.
    private IEnumerable<string> CommonProperties() => SkippedFrameworks().Concat(new[]
    {
        "-nologo", "-tl:off", "-m:1", "-v:q", "-clp:ErrorsOnly;NoSummary",
        "-p:TreatWarningsAsErrors=false", "-p:WarningsAsErrors=", "-p:MSBuildTreatWarningsAsErrors=false",
        "-p:CodeAnalysisTreatWarningsAsErrors=false",
        "-p:EnableNETAnalyzers=false", "-p:EnforceCodeStyleInBuild=false",
        "-p:IsTrimmable=false", "-p:IsAotCompatible=false", "-p:EnableTrimAnalyzer=false",
        "-p:EnableAotAnalyzer=false", "-p:EnableSingleFileAnalyzer=false",
        "-p:RunAnalyzers=true", "-p:RunAnalyzersDuringBuild=true",
        "-p:UseSharedCompilation=false", "-p:GeneratePackageOnBuild=false",
        // A local clone's origin is a file path, which SourceLink refuses as a repository URL.
        "-p:EnableSourceLink=false",
    });

    private IEnumerable<string> SkippedFrameworks()
    {
        if (_skippedFrameworks.Count == 0)
        {
            return Array.Empty<string>();
        }

        var frameworks = Path.Combine(Path.GetDirectoryName(_targets)!, "RealCode.Frameworks.targets");
        return new[]
        {
            "-p:CustomBeforeMicrosoftCommonCrossTargetingTargets=" + frameworks,
            "-p:RateLimitRealCodeSkippedFrameworks=" + SkippedFrameworksPattern(_skippedFrameworks),
        };
    }

    /// <summary>A regular expression matching any of the framework names exactly (dots are literal); MSBuild
    /// escapes keep the alternation's bar and the semicolons out of the command line's way.</summary>
    internal static string SkippedFrameworksPattern(IEnumerable<string> frameworks) =>
        string.Join("%7C", frameworks.Select(f => System.Text.RegularExpressions.Regex.Escape(f.Trim())));

    private IEnumerable<string> Dotnet(string workingDirectory, string command, string entry, IEnumerable<string> arguments)
    {
        _progress.WriteLine($"  dotnet {command} {entry}");
        return Run(workingDirectory, new[] { command, entry }.Concat(arguments)).Lines;
    }

    private static (int ExitCode, List<string> Lines) Run(string workingDirectory, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        var lines = new List<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => Add(lines, e.Data);
        process.ErrorDataReceived += (_, e) => Add(lines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return (process.ExitCode, lines);
    }

    private static void Add(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }

    internal static IReadOnlyList<Compile> ReadCompiles(string path)
    {
        if (!File.Exists(path))
        {
            return Array.Empty<Compile>();
        }

        return File.ReadAllLines(path)
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new Compile(parts[0], parts[1], parts[2]))
            .Distinct()
            .ToList();
    }
}
