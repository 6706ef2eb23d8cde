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
    private readonly IReadOnlyList<string> _skippedFrameworks;
    private readonly TextWriter _progress;

    public CorpusBuild(string analyzer, string targets, bool rebuild, IReadOnlyList<string> skippedFrameworks, TextWriter progress)
    {
        _analyzer = analyzer;
        _targets = targets;
        _rebuild = rebuild;
        _skippedFrameworks = skippedFrameworks;
        _progress = progress;
    }

    public sealed record Compile(string Project, string TargetFramework, string Log);

    public sealed record Result(IReadOnlyList<Compile> Compiles, IReadOnlyList<BuildError> Errors, TimeSpan Duration);

    public Result Run(Checkout checkout, string results)
    {
        Directory.CreateDirectory(results);
        var compiles = Path.Combine(results, "compiles.tsv");
        File.Delete(compiles);
        var clock = Stopwatch.StartNew();
        var output = new List<string>();
        foreach (var entry in checkout.EntryPoints)
        {
            // Restore on its own: a solution build stops at a failed restore, while a build after it still
            // compiles every project whose packages were found.
            output.AddRange(Dotnet(checkout.Root, "restore", entry, CommonProperties()));
            var build = CommonProperties().Concat(new[]
            {
                "--no-restore",
                "-p:CustomAfterMicrosoftCommonTargets=" + _targets,
                "-p:RateLimitRealCodeAnalyzer=" + _analyzer,
                "-p:RateLimitRealCodeResults=" + results,
            });
            output.AddRange(Dotnet(checkout.Root, "build", entry, _rebuild ? build.Append("--no-incremental") : build));
        }

        File.WriteAllLines(Path.Combine(results, "build-errors.log"), output);
        return new Result(ReadCompiles(compiles), BuildError.Parse(output).ToList(), clock.Elapsed);
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
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(entry);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        _progress.WriteLine($"  dotnet {command} {Path.GetRelativePath(workingDirectory, entry)}");
        var lines = new List<string>();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        process.OutputDataReceived += (_, e) => Add(lines, e.Data);
        process.ErrorDataReceived += (_, e) => Add(lines, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        return lines;
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
