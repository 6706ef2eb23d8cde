using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;

namespace RateLimitAnalyzers.Tests;

/// <summary>Every rule's help link lands on its rules.md section, the README's table lists every rule, and rules.md's catalog table every built-in endpoint.</summary>
public class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds => new(Descriptors().Select(d => d.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Help_link_points_at_the_rules_md_heading_of_the_rule(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var heading = "## " + descriptor.Id + ": " + descriptor.Title;
        Assert.Contains(heading, File.ReadAllLines(InRepository("rules.md")));

        var anchor = RuleIdentifiers.Slug(descriptor.Id + ": " + descriptor.Title);
        Assert.EndsWith("rules.md#" + anchor, descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.Contains("](#" + anchor + ")", File.ReadAllText(InRepository("rules.md")));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Readme_lists_the_rule_with_its_title(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var readme = File.ReadAllText(InRepository("README.md"));
        if (descriptor.Category == "Configuration" && !readme.Contains("[" + id + "]", StringComparison.Ordinal))
        {
            // The README's table lists the rules a user meets in code; RL9002 is about catalog files.
            return;
        }

        Assert.Contains("| [" + id + "](rules.md#" + RuleIdentifiers.Slug(id + ": " + descriptor.Title) + ") | " + descriptor.Title + " |", readme);
    }

    [Fact]
    public void Rules_md_endpoint_catalog_table_lists_every_built_in_entry_with_its_sources_and_nothing_else()
    {
        var lines = File.ReadAllLines(InRepository("rules.md"));
        var documented = lines
            .SkipWhile(l => l != "## Endpoint catalog")
            .SkipWhile(l => !l.StartsWith("| API / name |", StringComparison.Ordinal))
            .Skip(2) // the header and its |---| line
            .TakeWhile(l => l.StartsWith("| ", StringComparison.Ordinal))
            .Select(l => l.Split('|').Select(cell => cell.Trim()).ToArray())
            .Select(cells => string.Join(" ", cells[1], cells[2].Trim('`'), cells[3].Trim('`'), cells[4].Trim('`'), cells[9].Replace("<br>", " ", StringComparison.Ordinal)))
            .OrderBy(row => row, StringComparer.Ordinal)
            .ToList();

        var catalog = BuiltInEndpoints.Entries
            .Select(e => string.Join(" ", e.Name, e.AllowsAnyMethod ? "*" : string.Join(",", e.Methods), e.Host, e.Path.Text, string.Join(" ", e.Sources)))
            .OrderBy(row => row, StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(catalog);
        Assert.Equal(catalog, documented);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetType("RateLimitAnalyzers.DiagnosticDescriptors")!
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string InRepository(string file)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RateLimitAnalyzers.sln")))
            {
                return Path.Combine(directory.FullName, file);
            }
        }

        throw new InvalidOperationException("The tests run outside the repository; " + file + " is not found.");
    }
}
