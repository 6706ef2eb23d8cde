using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// The cheap name gate (<see cref="HttpKnowledge.MayInvolveRequests(SyntaxNode, CancellationToken)"/>, over
/// <see cref="CallNameIndex"/>) and the semantic checks (<see cref="HttpKnowledge.AsSend"/>,
/// <see cref="HttpKnowledge.IsPacing"/>) read the same vocabulary. Every public method of the transports and waits the
/// knowledge knows is called, one call per method, and each call the semantic side takes for a send or a wait must pass
/// the gate; and every name of the vocabulary lists must be taken for one by the semantic side (no dead entries).
/// </summary>
public class VocabularyTests
{
    // The types whose methods may send or wait: every public method of each is called once ("*": every type of the
    // namespace so named, RestSharp's extensions being split over several classes that vary by version).
    private static readonly string[] s_types =
    {
        "System.Net.Http.HttpClient",
        "System.Net.Http.HttpMessageInvoker",
        "System.Net.Http.Json.HttpClientJsonExtensions",
        "System.Net.WebClient",
        "System.Net.HttpWebRequest",
        "System.Net.WebRequest",
        "RestSharp.RestClient",
        "RestSharp.RestClient*Extensions",
        "System.Threading.Tasks.Task",
        "System.Threading.Thread",
        "System.Threading.PeriodicTimer",
        "System.Threading.RateLimiting.RateLimiter",
        "System.Threading.RateLimiting.TokenBucketRateLimiter",
    };

    // Polly v7's retry policies are made by extension methods of PolicyBuilder, sync and async.
    private static readonly string[] s_pollyTypes = { "Polly.*RetrySyntax", "Polly.*RetryTResultSyntax" };

    private static readonly AnalyzerOptions s_options = new(ImmutableArray<AdditionalText>.Empty);

    [Fact]
    public async Task Every_call_the_semantic_checks_take_for_a_send_or_a_wait_passes_the_name_gate()
    {
        var (knowledge, calls) = await GeneratedCallsAsync(s_types);
        var recognised = 0;
        var dropped = new SortedSet<string>();
        foreach (var (member, call) in calls)
        {
            if (knowledge.AsSend(call, CancellationToken.None) is not null || knowledge.IsPacing(call, CancellationToken.None))
            {
                recognised++;
                if (!knowledge.MayInvolveRequests(member, CancellationToken.None))
                {
                    dropped.Add(call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name);
                }
            }
        }

        Assert.True(dropped.Count == 0, "the gate drops " + string.Join(", ", dropped));

        // Not vacuous: HttpClient, WebClient, RestSharp and the waits have dozens of such methods.
        Assert.True(recognised > 60, recognised + " calls recognised");
    }

    [Fact]
    public async Task Every_send_and_wait_name_of_the_vocabulary_is_a_send_or_a_wait_somewhere()
    {
        var (knowledge, calls) = await GeneratedCallsAsync(s_types);
        var sends = new HashSet<string>(calls.Where(c => knowledge.AsSend(c.Call, CancellationToken.None) is not null).Select(c => c.Call.TargetMethod.Name));
        var waits = new HashSet<string>(calls.Where(c => knowledge.IsPacing(c.Call, CancellationToken.None)).Select(c => c.Call.TargetMethod.Name));

        var deadSends = HttpKnowledge.SendNames.Where(name => !sends.Contains(name)).OrderBy(n => n).ToList();
        Assert.True(deadSends.Count == 0, "send names no call is a send by: " + string.Join(", ", deadSends));

        // The runtime's own waits (RequestPacer, RateLimitedSend) are known by symbol and tested with the emitted runtime.
        var runtimeNames = new[] { "WaitTurnAsync", "WaitTurn", "TryTakeTurn" };
        var deadWaits = HttpKnowledge.SendOrWaitNames.Except(HttpKnowledge.SendNames).Where(name => !name.Contains('.') && !runtimeNames.Contains(name) && !waits.Contains(name)).OrderBy(n => n).ToList();
        Assert.True(deadWaits.Count == 0, "wait names no call is a wait by: " + string.Join(", ", deadWaits));
    }

    [Fact]
    public async Task Every_polly_retry_the_recogniser_takes_passes_the_name_gate_and_every_retry_name_is_one()
    {
        var (knowledge, calls) = await GeneratedCallsAsync(s_pollyTypes);
        var retries = RetryKnowledge.For(calls[0].Call.SemanticModel!.Compilation, s_options, CancellationToken.None)!;
        var recognised = new HashSet<string>();
        var dropped = new SortedSet<string>();
        foreach (var (member, call) in calls)
        {
            if (PollyRetry.FromPolicy(call, retries, CancellationToken.None) is not null)
            {
                recognised.Add(call.TargetMethod.Name);
                if (!knowledge.MayInvolveRequests(member, CancellationToken.None))
                {
                    dropped.Add(call.TargetMethod.ContainingType.Name + "." + call.TargetMethod.Name);
                }
            }
        }

        Assert.True(dropped.Count == 0, "the gate drops " + string.Join(", ", dropped));
        var dead = HttpKnowledge.PollyPolicyRetryNames.Where(name => !recognised.Contains(name)).OrderBy(n => n).ToList();
        Assert.True(dead.Count == 0, "Polly retry names no call is a retry by: " + string.Join(", ", dead));
    }

    private static async Task<(HttpKnowledge Knowledge, List<(SyntaxNode Member, IInvocationOperation Call)> Calls)> GeneratedCallsAsync(string[] typeNames)
    {
        var references = await TestProject.ReferencesAsync(CancellationToken.None);
        var probe = CSharpCompilation.Create("Probe", null, references);
        var source = new StringBuilder("#pragma warning disable\nclass Calls\n{\n");
        var count = 0;
        foreach (var type in typeNames.SelectMany(name => TypesNamed(probe, name)))
        {
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (Call(type, method, probe.GetSpecialType(SpecialType.System_Object)) is { } call)
                {
                    source.Append("    async System.Threading.Tasks.Task M").Append(count++).Append("() { _ = ").Append(call).Append("; await System.Threading.Tasks.Task.Yield(); }\n");
                }
            }
        }

        source.Append("}\n");
        var tree = CSharpSyntaxTree.ParseText(source.ToString(), new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Vocabulary", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var knowledge = HttpKnowledge.For(compilation, s_options, CancellationToken.None)!;
        var model = compilation.GetSemanticModel(tree);
        var calls = new List<(SyntaxNode, IInvocationOperation)>();
        foreach (var member in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            // A call whose overload does not bind from default arguments (an ambiguity, a constraint) tells nothing.
            if (member.DescendantNodes().OfType<InvocationExpressionSyntax>().FirstOrDefault() is { } syntax
                && model.GetOperation(syntax) is IInvocationOperation { TargetMethod: not null } call
                && !model.GetDiagnostics(syntax.Span).Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                calls.Add((member, call));
            }
        }

        Assert.True(calls.Count > count / 2, calls.Count + " of " + count + " calls bound");
        return (knowledge, calls);
    }

    private static IEnumerable<INamedTypeSymbol> TypesNamed(Compilation compilation, string name)
    {
        var star = name.IndexOf('*');
        if (star < 0)
        {
            var type = compilation.GetTypeByMetadataName(name);
            Assert.True(type is not null, name + " is not referenced");
            return new[] { type! };
        }

        var dot = name.LastIndexOf('.');
        var prefix = name.Substring(dot + 1, star - dot - 1);
        var suffix = name.Substring(star + 1);
        var namespaceSymbol = compilation.GlobalNamespace;
        foreach (var part in name.Substring(0, dot).Split('.'))
        {
            namespaceSymbol = namespaceSymbol.GetNamespaceMembers().Single(n => n.Name == part);
        }

        var types = namespaceSymbol.GetTypeMembers().Where(t => t.DeclaredAccessibility == Accessibility.Public && t.Name.StartsWith(prefix) && t.Name.EndsWith(suffix)).ToList();
        Assert.True(types.Count > 0, "no type matches " + name);
        return types;
    }

    /// <summary>A call of the method with a default of each parameter's type, statically for a static or extension method.</summary>
    private static string? Call(INamedTypeSymbol type, IMethodSymbol method, ITypeSymbol objectType)
    {
        if (method.MethodKind != MethodKind.Ordinary || method.DeclaredAccessibility != Accessibility.Public || type.IsGenericType
            || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type is IPointerTypeSymbol or IFunctionPointerTypeSymbol || p.Type.IsRefLikeType))
        {
            return null;
        }

        var typeArguments = method.TypeParameters.Select(_ => "object").ToList();
        var constructed = method.IsGenericMethod ? method.Construct(method.TypeParameters.Select(_ => objectType).ToArray()) : method;
        var format = SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);
        var arguments = string.Join(", ", constructed.Parameters.Select(p => "default(" + p.Type.ToDisplayString(format) + ")!"));
        var generic = method.IsGenericMethod ? "<" + string.Join(", ", typeArguments) + ">" : string.Empty;
        var receiver = method.IsStatic ? type.ToDisplayString(format) : "default(" + type.ToDisplayString(format) + ")!";
        return receiver + "." + method.Name + generic + "(" + arguments + ")";
    }
}
