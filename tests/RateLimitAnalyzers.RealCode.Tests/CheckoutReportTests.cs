using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.RealCode.Tests;

public sealed class CheckoutReportTests : IDisposable
{
    private readonly TemporaryCheckout _checkout = new();

    private string Root => _checkout.Root;

    public void Dispose() => _checkout.Dispose();

    private string Project(string name) => _checkout.Touch(name + "/" + name + ".csproj");

    [Fact]
    public void Every_project_is_reported_built_failed_or_not_built()
    {
        var built = Project("Built");
        var broken = Project("Broken");
        var failed = Project("Failed");
        var unbuilt = Project("Unbuilt");
        var logs = new Dictionary<string, SarifLog.Contents>
        {
            ["built-net8.0"] = new(new List<Finding>(), 0),
            ["broken-net8.0"] = new(new List<Finding>(), 3),
        };
        var compiles = new[]
        {
            new CorpusBuild.Compile(built, "net8.0", "built-net8.0"),
            new CorpusBuild.Compile(broken, "net8.0", "broken-net8.0"),
            // Recorded before a compile that never ran: no log.
            new CorpusBuild.Compile(failed, "net8.0", "failed-net8.0"),
        };
        var errors = new[] { new BuildError(failed, "NU1101", "error NU1101: Unable to find package Foo.") };

        var report = CheckoutReport.Create(Checkout.Discover(Root), compiles, errors, log => logs.GetValueOrDefault(log));

        var status = report.Projects.ToDictionary(p => p.Project, p => p.Status);
        Assert.Equal(CheckoutReport.Status.Built, status[built]);
        Assert.Equal(CheckoutReport.Status.BuiltWithErrors, status[broken]);
        Assert.Equal(CheckoutReport.Status.Failed, status[failed]);
        Assert.Equal(CheckoutReport.Status.NotBuilt, status[unbuilt]);
    }

    [Fact]
    public void A_finding_reported_for_several_target_frameworks_counts_once()
    {
        var lib = Project("Lib");
        var finding = new Finding("RL0001", Path.Combine(Root, "Lib", "Pages.cs"), 42, 9, "paging loop");
        var other = new Finding("RL0004", Path.Combine(Root, "Lib", "Retry.cs"), 7, 5, "retry without backoff");
        var logs = new Dictionary<string, SarifLog.Contents>
        {
            ["net8.0"] = new(new List<Finding> { finding, other }, 0),
            ["netstandard2.0"] = new(new List<Finding> { finding }, 0),
        };
        var compiles = logs.Keys.Select(tfm => new CorpusBuild.Compile(lib, tfm, tfm)).ToList();

        var report = CheckoutReport.Create(Checkout.Discover(Root), compiles, Array.Empty<BuildError>(), log => logs.GetValueOrDefault(log));

        Assert.Equal(new[] { finding, other }, report.Findings);
        Assert.Equal(new[] { "net8.0", "netstandard2.0" }, report.Projects.Single().TargetFrameworks);
        var row = report.FindingRows("repo", Checkout.Discover(Root), "abc123").First();
        Assert.Equal(string.Join('\t', "repo", "abc123", Path.Combine("Lib", "Pages.cs"), "42", "RL0001", "paging loop"), row);
    }

    [Fact]
    public void Skipped_frameworks_become_one_literal_alternation()
    {
        Assert.Equal(@"net7\.0%7Cnet5\.0", CorpusBuild.SkippedFrameworksPattern(new[] { "net7.0", " net5.0 " }));
    }
}
