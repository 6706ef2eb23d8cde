using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Tests.Verifiers;

namespace RateLimitAnalyzers.Tests.Robustness;

/// <summary>
/// What the IDE shows the analyzers while someone types: the same source cut off at many points. Every
/// analyzer and every code fix of the package runs over each cut; any exception they throw (which Roslyn
/// would turn into an AD0001 warning and a disabled analyzer) fails the test with the cut that caused it.
/// </summary>
internal static class TruncatedSource
{
    /// <summary>How many evenly spaced cuts each source gets.</summary>
    private const int EvenCuts = 12;

    /// <summary>At most this many cuts right after structural tokens, spread over the code, so the suite stays fast as rules grow.</summary>
    private const int TokenCuts = 36;

    private static readonly ImmutableArray<DiagnosticAnalyzer> s_analyzers = typeof(RateLimitAnalyzers.Rules.RL0001PagingLoopWithoutPacingAnalyzer).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly ImmutableArray<CodeFixProvider> s_fixes = typeof(RateLimitAnalyzers.CodeFixes.Rules.RL0001PagingLoopWithoutPacingCodeFix).Assembly
        .GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static int AnalyzerCount => s_analyzers.Length;

    public static int FixCount => s_fixes.Length;

    /// <summary>The markup-free source cut at every point this test uses: even steps, and after every brace, parenthesis, dot and semicolon of the code below the usings.</summary>
    public static IEnumerable<string> Cuts(string markup)
    {
        TestFileMarkupParser.GetSpans(markup, out string source, out ImmutableArray<TextSpan> _);
        var cuts = new SortedSet<int>();
        for (var i = 1; i <= EvenCuts; i++)
        {
            cuts.Add(source.Length * i / (EvenCuts + 1));
        }

        var body = source.IndexOf("class ", StringComparison.Ordinal);
        var structural = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens()
            .Where(t => t.SpanStart >= body && t.Kind() is SyntaxKind.OpenBraceToken or SyntaxKind.OpenParenToken or SyntaxKind.DotToken or SyntaxKind.SemicolonToken or SyntaxKind.EqualsToken)
            .Select(t => t.Span.End)
            .ToList();
        var step = Math.Max(1, structural.Count / TokenCuts);
        for (var i = 0; i < structural.Count; i += step)
        {
            cuts.Add(structural[i]);
        }

        return cuts.Where(c => c > 0 && c < source.Length).Select(c => source.Substring(0, c));
    }

    /// <summary>Runs every analyzer, then every fix offered for what they report, over each cut; returns the failures.</summary>
    public static Task<IReadOnlyList<string>> FailuresAsync(string markup, CancellationToken cancellationToken = default) =>
        FailuresAsync(markup, s_analyzers, cancellationToken);

    internal static async Task<IReadOnlyList<string>> FailuresAsync(string markup, ImmutableArray<DiagnosticAnalyzer> analyzers, CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var cut in Cuts(markup))
        {
            try
            {
                await AnalyzeAndFixAsync(cut, analyzers, failures, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failures.Add(Describe(cut, e));
            }
        }

        return failures;
    }

    private static async Task AnalyzeAndFixAsync(string source, ImmutableArray<DiagnosticAnalyzer> analyzers, List<string> failures, CancellationToken cancellationToken)
    {
        using var workspace = new AdhocWorkspace();
        var (solution, documentId) = await TestProject.CreateAsync(workspace, "Truncated", source, "/0/Truncated.cs", cancellationToken);
        var project = solution.GetProject(documentId.ProjectId)!;
        var compilation = (await project.GetCompilationAsync(cancellationToken))!;

        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, diagnostic) =>
            {
                lock (exceptions)
                {
                    exceptions.Add(analyzer.GetType().Name + ": " + exception);
                }
            },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (var exception in exceptions)
        {
            failures.Add(Describe(source, exception));
        }

        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource))
        {
            foreach (var fix in s_fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var document = project.GetDocument(documentId)!;
                await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken));
                foreach (var action in actions)
                {
                    await action.GetOperationsAsync(cancellationToken);
                }
            }
        }
    }

    private static string Describe(string cut, object problem)
    {
        var tail = cut.Length <= 160 ? cut : "…" + cut.Substring(cut.Length - 160);
        return "cut at " + cut.Length + " chars, ending \"" + tail.Replace("\n", "⏎") + "\": " + problem;
    }
}
