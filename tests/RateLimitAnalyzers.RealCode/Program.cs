using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using RateLimitAnalyzers.RealCode;

// dotnet run --project tests/RateLimitAnalyzers.RealCode -- [--results DIR] [--analyzer DLL] [--rebuild] [--strict] [--skip-frameworks net7.0,...] CHECKOUT...
// See tests/realcode.md for the corpus, the verdicts and how to reproduce them.
var paths = new List<string>();
var results = Path.Combine(Path.GetTempPath(), "rl-realcode");
var analyzer = Path.Combine(AppContext.BaseDirectory, "RateLimitAnalyzers.dll");
var rebuild = false;
var strict = false;
var skippedFrameworks = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--results" when i + 1 < args.Length:
            results = Path.GetFullPath(args[++i]);
            break;
        case "--analyzer" when i + 1 < args.Length:
            analyzer = Path.GetFullPath(args[++i]);
            break;
        case "--skip-frameworks" when i + 1 < args.Length:
            skippedFrameworks.AddRange(args[++i].Split(new[] { ',', ';' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            break;
        case "--strict":
            strict = true;
            break;
        case "--rebuild":
            rebuild = true;
            break;
        case var option when option.StartsWith("-", StringComparison.Ordinal):
            return Usage($"Unknown option {option}.");
        default:
            paths.Add(args[i]);
            break;
    }
}

if (paths.Count == 0)
{
    return Usage("Name at least one checkout.");
}

if (!File.Exists(analyzer))
{
    return Usage($"No analyzer assembly at {analyzer}.");
}

var targets = Path.Combine(AppContext.BaseDirectory, "RealCode.targets");
var build = new CorpusBuild(analyzer, targets, rebuild, strict, skippedFrameworks, Console.Error);
Directory.CreateDirectory(results);
var rows = new List<string> { "repository\tcommit\tfile\tline\trule\tmessage" };
foreach (var path in paths)
{
    Checkout checkout;
    try
    {
        checkout = Checkout.Discover(path);
    }
    catch (DirectoryNotFoundException e)
    {
        Console.WriteLine($"# {path}: {e.Message}");
        continue;
    }

    var name = Name(checkout.Root);
    Console.Error.WriteLine($"{name}: {checkout.EntryPoints.Count} to build, {checkout.Projects.Count} projects");
    var outcome = build.Run(checkout, Path.Combine(results, name.Replace('/', '+')));
    var report = CheckoutReport.Create(checkout, outcome.Compiles, outcome.Errors, ReadLog);
    var commit = Commit(checkout.Root);
    if (outcome.Note.Length > 0)
    {
        Console.WriteLine($"# {name}: {outcome.Note}");
    }

    report.Write(name, checkout, commit, Console.Out);
    Console.Error.WriteLine($"  {outcome.Duration.TotalSeconds:F0} s");
    rows.AddRange(report.FindingRows(name, checkout, commit));
}

File.WriteAllLines(Path.Combine(results, "findings.tsv"), rows);
Console.WriteLine($"{rows.Count - 1} findings in all; table in {Path.Combine(results, "findings.tsv")}");
return 0;

static SarifLog.Contents? ReadLog(string path)
{
    if (!File.Exists(path))
    {
        return null;
    }

    try
    {
        return SarifLog.Read(File.ReadAllText(path));
    }
    catch (Exception e) when (e is JsonException or InvalidDataException)
    {
        Console.Error.WriteLine($"  unreadable log {path}: {e.Message}");
        return null;
    }
}

// A folder inside a repository (the one library of a large one) is named repository/folder.
static string Name(string root)
{
    var top = Git(root, "rev-parse --show-toplevel");
    return top is null || Path.GetFullPath(top) == root
        ? Path.GetFileName(root)
        : Path.GetFileName(Path.GetFullPath(top)) + "/" + Path.GetRelativePath(top, root).Replace(Path.DirectorySeparatorChar, '/');
}

static string Commit(string root) => Git(root, "rev-parse HEAD") ?? "(not a git checkout)";

static string? Git(string root, string arguments)
{
    try
    {
        var start = new ProcessStartInfo("git", $"-C \"{root}\" {arguments}") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start);
        var output = git?.StandardOutput.ReadToEnd().Trim() ?? "";
        git?.WaitForExit();
        return git?.ExitCode == 0 && output.Length > 0 ? output : null;
    }
    catch (System.ComponentModel.Win32Exception)
    {
        return null;
    }
}

static int Usage(string problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine("usage: dotnet run --project tests/RateLimitAnalyzers.RealCode -- [--results DIR] [--analyzer DLL] [--rebuild] [--strict] [--skip-frameworks net7.0,...] CHECKOUT...");
    return 2;
}
