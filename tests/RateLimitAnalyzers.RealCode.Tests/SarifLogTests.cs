using System.IO;
using System.Linq;
using Xunit;

namespace RateLimitAnalyzers.RealCode.Tests;

public class SarifLogTests
{
    // The shape csc writes for -errorlog:file,version=2.1, cut down to the cases that matter.
    private const string Log = """
        {
          "$schema": "http://json.schemastore.org/sarif-2.1.0",
          "version": "2.1.0",
          "runs": [
            {
              "results": [
                {
                  "ruleId": "CS0618", "level": "warning", "message": { "text": "obsolete" },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///src/A.cs" }, "region": { "startLine": 3, "startColumn": 1 } } } ]
                },
                {
                  "ruleId": "RL0001", "level": "warning", "message": { "text": "This paging loop sends requests back-to-back" },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///src/Export/Pages.cs" }, "region": { "startLine": 42, "startColumn": 9, "endLine": 42, "endColumn": 14 } } } ]
                },
                {
                  "ruleId": "RL0004", "level": "warning", "message": { "text": "suppressed in source" },
                  "suppressions": [ { "kind": "inSource" } ],
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///src/B.cs" }, "region": { "startLine": 7 } } } ]
                },
                { "ruleId": "RL9001", "level": "warning", "message": { "text": "bad option value" } },
                {
                  "ruleId": "RLS001", "level": "warning", "message": { "text": "another analyzer's rule with our prefix" },
                  "locations": [ { "physicalLocation": { "artifactLocation": { "uri": "file:///src/C.cs" }, "region": { "startLine": 1 } } } ]
                },
                { "ruleId": "CS0246", "level": "error", "message": { "text": "type not found" } },
                { "ruleId": "CS0103", "level": "error", "message": { "text": "name not found" } },
                { "ruleId": "MEAI001", "level": "error", "message": { "text": "experimental, suppressed" }, "suppressions": [ { "kind": "inSource" } ] }
              ],
              "tool": { "driver": { "name": "Microsoft (R) Visual C# Compiler" } }
            }
          ]
        }
        """;

    [Fact]
    public void Keeps_only_our_unsuppressed_findings_with_their_place()
    {
        var contents = SarifLog.Read(Log);

        Assert.Equal(new[] { "RL0001", "RL9001" }, contents.Findings.Select(f => f.RuleId));
        var paging = contents.Findings[0];
        Assert.Equal(Path.GetFullPath("/src/Export/Pages.cs"), Path.GetFullPath(paging.File));
        Assert.Equal(42, paging.Line);
        Assert.Equal(9, paging.Column);
        Assert.Equal("This paging loop sends requests back-to-back", paging.Message);
    }

    [Fact]
    public void A_finding_without_location_keeps_an_empty_file()
    {
        var configuration = SarifLog.Read(Log).Findings.Single(f => f.RuleId == "RL9001");

        Assert.Equal("", configuration.File);
        Assert.Equal(0, configuration.Line);
    }

    [Fact]
    public void Counts_the_compiler_errors_of_the_compile_but_not_suppressed_ones()
    {
        Assert.Equal(2, SarifLog.Read(Log).CompilerErrors);
    }

    [Fact]
    public void A_log_without_runs_is_refused()
    {
        Assert.Throws<InvalidDataException>(() => SarifLog.Read("""{ "version": "2.1.0" }"""));
    }

    [Fact]
    public void A_run_without_results_has_no_findings()
    {
        var contents = SarifLog.Read("""{ "version": "2.1.0", "runs": [ { "tool": { "driver": { "name": "csc" } } } ] }""");

        Assert.Empty(contents.Findings);
        Assert.Equal(0, contents.CompilerErrors);
    }
}
