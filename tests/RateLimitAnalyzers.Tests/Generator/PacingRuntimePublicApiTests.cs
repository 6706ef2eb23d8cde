using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using RateLimitAnalyzers.Generator;
using Xunit;

namespace RateLimitAnalyzers.Tests.Generator;

/// <summary>
/// The pacing runtime's surface, as the code fixes and users' fixed code call it, is tracked in
/// <c>PacingRuntime.PublicApi.txt</c> beside this file: a change to it (a member added, removed, re-typed, a
/// nullable annotation) fails here until someone reviews it and updates the file, the way the public API analyzers
/// guard a library. Users' code compiles against the runtime of the package version they have, so what the
/// runtime offers must not change by accident.
/// </summary>
public sealed class PacingRuntimePublicApiTests
{
    internal const string FileName = "PacingRuntime.PublicApi.txt";
    private const string RepositoryPath = "tests/RateLimitAnalyzers.Tests/Generator/" + FileName;

    // Full names without global::, parameters with their names and defaults, and nullable annotations, so that any
    // change a caller would notice changes the line.
    private static readonly SymbolDisplayFormat s_format = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeTypeConstraints | SymbolDisplayGenericsOptions.IncludeVariance,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeContainingType | SymbolDisplayMemberOptions.IncludeType
            | SymbolDisplayMemberOptions.IncludeModifiers | SymbolDisplayMemberOptions.IncludeAccessibility | SymbolDisplayMemberOptions.IncludeConstantValue
            | SymbolDisplayMemberOptions.IncludeRef | SymbolDisplayMemberOptions.IncludeExplicitInterface,
        kindOptions: SymbolDisplayKindOptions.IncludeTypeKeyword,
        propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
        parameterOptions: SymbolDisplayParameterOptions.IncludeName | SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut
            | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeExtensionThis,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier
            | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers);

    private static readonly SymbolDisplayFormat s_typeNameFormat = s_format.WithKindOptions(SymbolDisplayKindOptions.None);

    [Fact]
    public void The_emitted_surface_is_the_reviewed_one()
    {
        var actual = Surface();
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Generator", FileName)).Where(l => l.Trim().Length > 0).ToList();

        if (!actual.SequenceEqual(expected))
        {
            // Written beside the test assembly too, to copy over the reviewed file once the change is intended.
            var actualPath = Path.Combine(AppContext.BaseDirectory, "Generator", "PacingRuntime.PublicApi.actual.txt");
            File.WriteAllLines(actualPath, actual);
            var added = actual.Except(expected, StringComparer.Ordinal).Select(l => "+ " + l);
            var removed = expected.Except(actual, StringComparer.Ordinal).Select(l => "- " + l);
            Assert.Fail(
                "The pacing runtime's surface changed. If the change is intended, replace " + RepositoryPath + " with the surface below (also written to " + actualPath + ").\n\n"
                + "Changes:\n" + string.Join("\n", removed.Concat(added)) + "\n\n"
                + "New surface:\n" + string.Join("\n", actual) + "\n");
        }
    }

    [Fact]
    public void The_surface_lists_what_the_fixes_insert_and_hides_no_type_they_need()
    {
        var surface = Surface();

        // The calls the code fixes write (see src/RateLimitAnalyzers.CodeFixes): they must stay on the surface.
        Assert.Contains(surface, l => l.StartsWith("  public static RateLimitAnalyzers.Pacing.RequestPacer RateLimitAnalyzers.Pacing.RequestPacer.Shared(", StringComparison.Ordinal));
        Assert.Contains(surface, l => l.StartsWith("  public static RateLimitAnalyzers.Pacing.QuotaWindow RateLimitAnalyzers.Pacing.QuotaWindow.PerSecond(", StringComparison.Ordinal));
        Assert.Contains(surface, l => l.StartsWith("  public RateLimitAnalyzers.Pacing.RateLimitedHandler.RateLimitedHandler(", StringComparison.Ordinal));
        Assert.DoesNotContain(surface, l => l.StartsWith("hidden ", StringComparison.Ordinal) && l.Contains("RequestPacer", StringComparison.Ordinal));
        Assert.Contains(surface, l => l.StartsWith("hidden ", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every type the runtime declares, and the members callers can reach: public and protected ones. A type the
    /// generator hides from IntelliSense (an implementation helper) is listed by name alone, so that a new type has
    /// to be placed on one side or the other.
    /// </summary>
    internal static List<string> Surface()
    {
        // Every file emitted: a project with System.Threading.RateLimiting also gets the RateLimiter adapter.
        var consumer = GeneratorTestCompilation.Create("using RateLimitAnalyzers.Pacing;", GeneratorTestCompilation.WithHttpAndRateLimiting, LanguageVersion.Latest, NullableContextOptions.Enable);
        var (output, result) = GeneratorTestCompilation.Run(consumer);
        Assert.Equal(PacingRuntimeSources.Files.Length + 1, result.GeneratedTrees.Length);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var pacing = output.GlobalNamespace.GetNamespaceMembers().Single(n => n.Name == "RateLimitAnalyzers").GetNamespaceMembers().Single(n => n.Name == "Pacing");
        var lines = new List<string>();
        foreach (var type in pacing.GetTypeMembers().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            AddType(type, lines);
        }

        return lines;
    }

    // One block per type: its line, then its members in order, then its nested types.
    private static void AddType(INamedTypeSymbol type, List<string> lines)
    {
        var hidden = type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.ComponentModel.EditorBrowsableAttribute");
        var baseTypes = new[] { type.BaseType }
            .Where(b => b is not null && b.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType))
            .Concat(type.Interfaces)
            .Select(b => b!.ToDisplayString(s_typeNameFormat))
            .ToList();
        var modifiers = type.TypeKind != TypeKind.Class ? string.Empty
            : type.IsStatic ? "static "
            : type.IsAbstract ? "abstract "
            : type.IsSealed ? "sealed "
            : string.Empty;
        lines.Add((hidden ? "hidden " : string.Empty) + modifiers + type.ToDisplayString(s_format) + (baseTypes.Count > 0 ? " : " + string.Join(", ", baseTypes) : string.Empty));
        if (hidden)
        {
            return;
        }

        var reachable = type.GetMembers()
            .Where(m => m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal)
            .ToList();
        lines.AddRange(reachable
            .Where(m => m is not INamedTypeSymbol)
            .Where(m => m is not IMethodSymbol { MethodKind: MethodKind.PropertyGet or MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove })
            .Where(m => !m.IsImplicitlyDeclared || m is IMethodSymbol { MethodKind: MethodKind.Constructor })
            .Select(m => "  " + m.ToDisplayString(s_format))
            .OrderBy(l => l, StringComparer.Ordinal));
        foreach (var nested in reachable.OfType<INamedTypeSymbol>().OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            AddType(nested, lines);
        }
    }
}
