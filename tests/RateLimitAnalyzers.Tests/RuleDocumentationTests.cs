using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using RateLimitAnalyzers.Knowledge.Endpoints;
using Xunit;

namespace RateLimitAnalyzers.Tests;

/// <summary>
/// Every rule's help link lands on its rules.md section, rules.md's table and the README's list every rule as the
/// code defines it. The catalog's table is generated and checked by CatalogDocumentationTests.
/// </summary>
public class RuleDocumentationTests
{
    public static TheoryData<string> RuleIds => new(Descriptors().Select(d => d.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Help_link_opens_the_rules_stable_anchor_in_the_repository_Directory_Build_props_names(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var repository = RepositoryFiles.BuildProperty("RateLimitAnalyzersRepositoryUrl");

        Assert.Equal(repository + "/blob/main/rules.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);

        // The explicit anchor sits right above the rule's heading, so rewording the title moves nothing.
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("rules.md"));
        var anchor = Array.IndexOf(lines, "<a id=\"" + id.ToLowerInvariant() + "\"></a>");
        Assert.True(anchor >= 0, "rules.md has no <a id=\"" + id.ToLowerInvariant() + "\"></a>");
        Assert.Equal("## " + id + ": " + descriptor.Title, lines.Skip(anchor + 1).First(l => l.Length > 0));
    }

    [Fact]
    public void Every_rule_is_in_the_one_category_of_our_own()
    {
        Assert.All(Descriptors(), d => Assert.Equal("RateLimiting", d.Category));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Rules_md_table_gives_the_rules_category_default_severity_fix_and_options(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        var row = RulesTableRow(id);

        Assert.Equal(descriptor.Title, row[1]);
        Assert.Equal(descriptor.Category, row[2]);
        Assert.Equal(descriptor.DefaultSeverity.ToString().ToLowerInvariant(), row[3]);
        Assert.Equal(HasCodeFix(id) ? "yes" : "no", row[4]);

        // The options the table names are the ones the rule's own "### Options" section explains.
        var section = OptionsSection(id);
        var options = row[5] == "none" ? Array.Empty<string>() : row[5].Split(", ").Select(o => o.Trim('`')).ToArray();
        Assert.All(options, option => Assert.Contains("`" + option + "`", section, StringComparison.Ordinal));
        if (options.Length == 0)
        {
            Assert.DoesNotContain("rate_limit_analyzers.", section, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Rules_md_table_lists_no_rule_the_code_does_not_define()
    {
        var documented = File.ReadAllLines(RepositoryFiles.PathOf("rules.md"))
            .Where(l => l.StartsWith("| [RL", StringComparison.Ordinal))
            .Select(l => l.Substring(3, 6));
        Assert.Equal(Descriptors().Select(d => d.Id).OrderBy(i => i), documented.OrderBy(i => i));
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void Readme_lists_the_rule_with_its_title(string id)
    {
        var descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Contains("| [" + id + "](rules.md#" + id.ToLowerInvariant() + ") | " + descriptor.Title + " |", RepositoryFiles.Read("README.md"));
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(RuleIdentifiers).Assembly.GetType("RateLimitAnalyzers.DiagnosticDescriptors")!
            .GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static string[] RulesTableRow(string id)
    {
        var line = File.ReadAllLines(RepositoryFiles.PathOf("rules.md")).Single(l => l.StartsWith("| [" + id + "](#" + id.ToLowerInvariant() + ") |", StringComparison.Ordinal));
        return line.Split('|').Skip(1).SkipLast(1).Select(cell => cell.Trim()).ToArray();
    }

    /// <summary>The "### Options" part of the rule's section, empty when it has none.</summary>
    private static string OptionsSection(string id)
    {
        var lines = File.ReadAllLines(RepositoryFiles.PathOf("rules.md"));
        var heading = Array.FindIndex(lines, Array.IndexOf(lines, "<a id=\"" + id.ToLowerInvariant() + "\"></a>"), l => l.StartsWith("## ", StringComparison.Ordinal));
        var section = lines.Skip(heading + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal) && !l.StartsWith("<a id=", StringComparison.Ordinal));
        return string.Join("\n", section.SkipWhile(l => l != "### Options").Skip(1).TakeWhile(l => !l.StartsWith("### ", StringComparison.Ordinal)));
    }

    private static bool HasCodeFix(string id) =>
        typeof(RateLimitAnalyzers.CodeFixes.Rules.RL0001PagingLoopWithoutPacingCodeFix).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
            .Any(fix => fix.FixableDiagnosticIds.Contains(id));
}
