using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace RateLimitAnalyzers.RealCode;

/// <summary>What a build of one checkout showed, per project and per finding.</summary>
internal sealed class CheckoutReport
{
    public enum Status { Built, BuiltWithErrors, Failed, NotBuilt }

    public sealed record ProjectResult(string Project, Status Status, IReadOnlyList<string> TargetFrameworks, IReadOnlyList<BuildError> Errors, int CompilerErrors);

    private CheckoutReport(IReadOnlyList<ProjectResult> projects, IReadOnlyList<Finding> findings, IReadOnlyList<BuildError> buildErrors)
    {
        Projects = projects;
        Findings = findings;
        BuildErrors = buildErrors;
    }

    public IReadOnlyList<ProjectResult> Projects { get; }

    /// <summary>Ours, once each: a multi-targeted project reports the same finding for every target framework.</summary>
    public IReadOnlyList<Finding> Findings { get; }

    /// <summary>Errors no project claims (a missing SDK, a solution that does not load).</summary>
    public IReadOnlyList<BuildError> BuildErrors { get; }

    public static CheckoutReport Create(Checkout checkout, IReadOnlyList<CorpusBuild.Compile> compiles, IReadOnlyList<BuildError> errors, Func<string, SarifLog.Contents?> readLog)
    {
        var findings = new List<Finding>();
        var compilerErrors = new Dictionary<string, int>(StringComparer.Ordinal);
        var logged = new List<CorpusBuild.Compile>();
        foreach (var compile in compiles)
        {
            // No log: the compile was about to run and did not (an earlier target failed).
            var contents = readLog(compile.Log);
            if (contents is null)
            {
                continue;
            }

            logged.Add(compile);
            findings.AddRange(contents.Findings);
            compilerErrors[compile.Project] = compilerErrors.GetValueOrDefault(compile.Project) + contents.CompilerErrors;
        }

        var compiled = logged.ToLookup(c => c.Project, StringComparer.Ordinal);
        var errorsByProject = errors.Where(e => IsProject(e.Project)).ToLookup(e => e.Project, StringComparer.Ordinal);
        var projects = checkout.Projects
            .Concat(compiled.Select(g => g.Key))
            .Concat(errorsByProject.Select(g => g.Key))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(project =>
            {
                var frameworks = compiled[project].Select(c => c.TargetFramework).Distinct().OrderBy(f => f, StringComparer.Ordinal).ToList();
                var projectErrors = errorsByProject[project].ToList();
                var status = frameworks.Count == 0
                    ? projectErrors.Count > 0 ? Status.Failed : Status.NotBuilt
                    : projectErrors.Count > 0 || compilerErrors.GetValueOrDefault(project) > 0 ? Status.BuiltWithErrors : Status.Built;
                return new ProjectResult(project, status, frameworks, projectErrors, compilerErrors.GetValueOrDefault(project));
            })
            .ToList();
        var unique = findings
            .Distinct()
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column).ThenBy(f => f.RuleId, StringComparer.Ordinal)
            .ToList();
        return new CheckoutReport(projects, unique, errors.Where(e => !IsProject(e.Project)).ToList());
    }

    public void Write(string name, Checkout checkout, string commit, TextWriter output)
    {
        var built = Projects.Count(p => p.Status is Status.Built or Status.BuiltWithErrors);
        output.WriteLine($"# {name} ({checkout.Root}) at {commit}");
        output.WriteLine($"projects: {built} of {Projects.Count} compiled with the analyzers");
        foreach (var project in Projects)
        {
            var path = checkout.Relative(project.Project);
            switch (project.Status)
            {
                case Status.Built:
                    output.WriteLine($"  built       {path} ({string.Join(", ", project.TargetFrameworks)})");
                    break;
                case Status.BuiltWithErrors:
                    output.WriteLine($"  built, errs {path} ({string.Join(", ", project.TargetFrameworks)}): {project.CompilerErrors} compiler errors, {project.Errors.Count} build errors; findings there come from partly broken code");
                    break;
                case Status.Failed:
                    output.WriteLine($"  FAILED      {path}: {project.Errors[0]}{(project.Errors.Count > 1 ? $" (+{project.Errors.Count - 1} more)" : "")}");
                    break;
                default:
                    output.WriteLine($"  not built   {path}: not in the solutions built, or skipped by them");
                    break;
            }
        }

        foreach (var error in BuildErrors.Take(5))
        {
            output.WriteLine($"  build error {error}");
        }

        output.WriteLine($"findings: {Findings.Count}");
        foreach (var finding in Findings)
        {
            var where = finding.File.Length == 0 ? "(no location)" : $"{checkout.Relative(finding.File)}:{finding.Line}";
            output.WriteLine($"  {finding.RuleId} {where}: {finding.Message}");
        }

        output.WriteLine();
    }

    /// <summary>One line per finding, tab-separated, for tables: repository, commit, file, line, rule, message.</summary>
    public IEnumerable<string> FindingRows(string name, Checkout checkout, string commit) =>
        Findings.Select(f => string.Join('\t', name, commit, f.File.Length == 0 ? "" : checkout.Relative(f.File), f.Line, f.RuleId, f.Message.Replace('\t', ' ')));

    private static bool IsProject(string path) =>
        path.EndsWith("proj", StringComparison.OrdinalIgnoreCase);
}
