using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Tests.Rules;
using RateLimitAnalyzers.Tests.Verifiers;
using Xunit;

namespace RateLimitAnalyzers.Tests.Knowledge;

/// <summary>
/// RL0003 and RL0004 skip a function or loop whose tokens show nothing that looks at how a request went
/// (<see cref="RetryKnowledge.MayObserveOutcome"/>): the skip must never drop one that the operations say does.
/// </summary>
public class OutcomePreCheckTests
{
    public static TheoryData<string> Cases()
    {
        var names = new TheoryData<string>();
        foreach (var name in AllCases.Keys)
        {
            names.Add(name);
        }

        return names;
    }

    private static readonly Dictionary<string, string> AllCases =
        RL0003Cases.Reported.Select(c => ("RL0003 reported: " + c.Key, c.Value))
            .Concat(RL0003Cases.NotReported.Select(c => ("RL0003 not reported: " + c.Key, c.Value)))
            .Concat(RL0004Cases.Reported.Select(c => ("RL0004 reported: " + c.Key, c.Value)))
            .Concat(RL0004Cases.NotReported.Select(c => ("RL0004 not reported: " + c.Key, c.Value)))
            .ToDictionary(c => c.Item1, c => c.Value);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_function_and_loop_that_observes_the_outcome_passes_the_token_check(string name)
    {
        var (tree, model, _) = await CompileAsync(AllCases[name]);
        foreach (var scope in Scopes(tree, model))
        {
            if (RetryKnowledge.ObservesOutcome(scope))
            {
                Assert.True(RetryKnowledge.MayObserveOutcome(scope.Syntax), $"skipped: {scope.Syntax}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(RL0003Cases.ReportedNames), MemberType = typeof(RL0003Cases))]
    public async Task Every_place_RL0003_reports_is_in_a_function_that_passes_the_token_check(string name)
    {
        var (tree, _, spans) = await CompileAsync(RL0003Cases.Reported[name]);
        Assert.NotEmpty(spans);
        foreach (var span in spans)
        {
            // A Polly retry is reported from its options or policy, which no function pre-check stands before.
            if (tree.GetRoot().FindNode(span).AncestorsAndSelf().Any(IsPollyRetry))
            {
                continue;
            }

            var functions = tree.GetRoot().FindNode(span).AncestorsAndSelf()
                .Where(n => n is Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax)
                .ToList();
            Assert.Contains(functions, RetryKnowledge.MayObserveOutcome);
        }
    }

    [Fact]
    public async Task It_skips_functions_that_only_compare_numbers_and_call_other_names()
    {
        var (tree, model, _) = await CompileAsync(RL0003Cases.Usings + """
            class Pages
            {
                public async Task<int> CountAsync(HttpClient client, int pages)
                {
                    var total = 0;
                    for (var page = 0; page < pages; page++)
                    {
                        var text = await client.GetStringAsync("https://api.example.com/v1/items?page=" + page);
                        if (text.Length == 0) break;
                        total += text.Length;
                    }

                    return total;
                }

                public async Task<bool> ThrottledAsync(HttpClient client) =>
                    (await client.GetAsync("https://api.example.com/v1/items")).StatusCode == System.Net.HttpStatusCode.TooManyRequests;
            }
            """);
        var bodies = Scopes(tree, model).OfType<IMethodBodyOperation>().ToList();
        Assert.Equal(new[] { false, true }, bodies.Select(b => RetryKnowledge.MayObserveOutcome(b.Syntax)));
        Assert.Equal(new[] { false, true }, bodies.Select(b => RetryKnowledge.ObservesOutcome(b)));
    }

    private static bool IsPollyRetry(SyntaxNode node) => node switch
    {
        Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax { Type: var type } => type.ToString().Contains("RetryStrategyOptions"),
        Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax member } => member.Name.Identifier.ValueText.Contains("Retry"),
        _ => false,
    };

    private static IEnumerable<IOperation> Scopes(SyntaxTree tree, SemanticModel model)
    {
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            var operation = node switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax
                    or Microsoft.CodeAnalysis.CSharp.Syntax.AnonymousFunctionExpressionSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax => model.GetOperation(node),
                _ => null,
            };
            switch (operation)
            {
                case IMethodBodyBaseOperation or ILoopOperation:
                    yield return operation;
                    break;
                case ILocalFunctionOperation { Body: { } localBody }:
                    yield return localBody;
                    break;
                case IAnonymousFunctionOperation lambda:
                    yield return lambda.Body;
                    break;
            }
        }
    }

    private static async Task<(SyntaxTree Tree, SemanticModel Model, IEnumerable<TextSpan> Spans)> CompileAsync(string markup)
    {
        TestFileMarkupParser.GetSpans(markup, out var source, out System.Collections.Immutable.ImmutableDictionary<string, System.Collections.Immutable.ImmutableArray<TextSpan>> spans);
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "PreCheck",
            new[] { tree },
            await TestProject.ReferencesAsync(CancellationToken.None),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return (tree, compilation.GetSemanticModel(tree), spans.SelectMany(s => s.Value));
    }
}
