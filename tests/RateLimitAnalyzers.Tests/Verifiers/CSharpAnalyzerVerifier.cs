using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace RateLimitAnalyzers.Tests.Verifiers;

/// <summary>Thin wrapper over the testing library: .NET 8 references, the HTTP libraries, and the generator's runtime.</summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(diagnosticId);

    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(descriptor);

    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Checks the message of the one diagnostic the source marks with <c>[|...|]</c>: its arguments, in order.</summary>
    public static Task VerifyMessageAsync(string source, string diagnosticId, params object[] arguments) =>
        VerifyAnalyzerAsync(
            source.Replace("[|", "{|#0:"),
            Diagnostic(diagnosticId).WithLocation(0).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations).WithArguments(arguments));

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test() => TestSetup.Configure(this, TestState);

        protected override System.Collections.Generic.IEnumerable<System.Type> GetSourceGenerators() => TestSetup.SourceGenerators;
    }
}

/// <summary>Thin wrapper for code fix tests; the fixed code must compile, the runtime included.</summary>
public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(diagnosticId);

    public static Task VerifyCodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, FixedCode = fixedSource };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The fix turns <paramref name="source"/> into itself with the edits made (see <see cref="FixedText.Of"/>).</summary>
    public static Task VerifyEditsAsync(string source, string usings, params (string Old, string New)[] edits) =>
        VerifyCodeFixAsync(source, FixedText.Of(source, usings, edits));

    /// <summary>Fix All over several documents, in the document (one pass per document), the project and the solution.</summary>
    public static Task VerifyFixAllAsync(params (string Path, string Source, string FixedSource)[] documents)
    {
        var test = new Test();
        foreach (var (path, source, fixedSource) in documents)
        {
            test.TestState.Sources.Add((path, source));
            test.FixedState.Sources.Add((path, fixedSource));
        }

        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = documents.Length;
        test.NumberOfFixAllInProjectIterations = 1;
        test.CodeFixTestBehaviors = CodeFixTestBehaviors.None;
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>No fix is offered when the project opts out of the runtime the fixes call.</summary>
    public static Task VerifyNoFixWithoutRuntimeAsync(string source)
    {
        var test = new Test { TestCode = source, FixedCode = source };
        var optOut = ("/.globalconfig", """
            is_global = true
            build_property.RateLimitAnalyzersEmitPacingRuntime = false
            """);
        test.TestState.AnalyzerConfigFiles.Add(optOut);
        test.FixedState.AnalyzerConfigFiles.Add(optOut);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            TestSetup.Configure(this, TestState);
            TestSetup.Configure(this, FixedState);
            TestSetup.Configure(this, BatchFixedState);
        }

        protected override System.Collections.Generic.IEnumerable<System.Type> GetSourceGenerators() => TestSetup.SourceGenerators;
    }
}

internal static class TestSetup
{
    public static readonly System.Type[] SourceGenerators = { typeof(RateLimitAnalyzers.Generator.PacingRuntimeGenerator) };

    public static void Configure<TVerifier>(AnalyzerTest<TVerifier> test, SolutionState state)
        where TVerifier : IVerifier, new()
    {
        test.ReferenceAssemblies = TestReferences.Net80;

        // The runtime the generator emits is checked by the generator's own tests; here it is just present.
        test.TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        state.AdditionalReferences.AddRange(TestReferences.Libraries);
    }
}
