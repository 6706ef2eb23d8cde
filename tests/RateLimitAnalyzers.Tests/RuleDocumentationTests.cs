using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace RateLimitAnalyzers.Tests;

/// <summary>Every rule's help link lands on its rules.md section, and the README's table lists every rule.</summary>
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
