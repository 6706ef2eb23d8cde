using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// Which of the compilation's own methods are worth following into, judged by names alone: a method is worth it
/// when its body calls, within <see cref="Rounds"/> calls, something that sends a request or waits (<c>GetAsync</c>,
/// <c>Delay</c>, a Refit interface method, a pacing method the user listed). Following a call means binding the
/// callee's body a second time; this index, built from syntax only, lets the rules skip the great majority of
/// methods (string helpers, mappers, domain logic) without binding them.
/// </summary>
/// <remarks>
/// It over-approximates on purpose: names, not symbols, so an unrelated method that shares a name with a sending
/// one is followed too, and the binding-based summary then gives the real answer. It never under-approximates
/// within <see cref="Rounds"/>. Each syntax tree is read once and its calls kept while the tree lives, so a new
/// compilation after an edit re-reads only the edited file.
/// </remarks>
internal sealed class CallNameIndex
{
    /// <summary>How many calls deep a method's sends and waits are followed; the rules follow three.</summary>
    public const int Rounds = 3;

    private static readonly ConditionalWeakTable<SyntaxTree, TreeCalls> s_trees = new();

    private readonly HashSet<string> _worthFollowing;

    private readonly HashSet<string> _refitMethods;

    private CallNameIndex(HashSet<string> worthFollowing, HashSet<string> refitMethods)
    {
        _worthFollowing = worthFollowing;
        _refitMethods = refitMethods;
    }

    /// <summary>Whether a method of this name is declared on a Refit interface of the compilation: calling it sends a request.</summary>
    public bool IsRefitMethod(string methodName) => _refitMethods.Contains(methodName);

    /// <summary>Whether a source method of this name may send or wait within <see cref="Rounds"/> calls.</summary>
    public bool IsWorthFollowing(string methodName) => _worthFollowing.Contains(methodName);

    /// <param name="isSeed">Whether a call of this name may send or wait by itself (<c>GetAsync</c>, <c>ExecuteAsync</c>, <c>Delay</c>).</param>
    public static CallNameIndex Build(Compilation compilation, Func<string, bool> isSeed, CancellationToken cancellationToken)
    {
        var declared = new List<TreeCalls>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            declared.Add(s_trees.GetValue(tree, t => TreeCalls.Read(t, cancellationToken)));
        }

        // Calling a Refit interface method sends a request.
        var refitMethods = new HashSet<string>(declared.SelectMany(t => t.RefitMethods), StringComparer.Ordinal);
        var interesting = new HashSet<string>(refitMethods, StringComparer.Ordinal);

        var worthFollowing = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < Rounds; round++)
        {
            var added = new List<string>();
            foreach (var tree in declared)
            {
                foreach (var method in tree.Methods)
                {
                    if (!worthFollowing.Contains(method.Key) && method.Value.Any(call => interesting.Contains(call) || isSeed(call)))
                    {
                        added.Add(method.Key);
                    }
                }
            }

            if (added.Count == 0)
            {
                break;
            }

            worthFollowing.UnionWith(added);
            interesting.UnionWith(added);
        }

        return new CallNameIndex(worthFollowing, refitMethods);
    }

    /// <summary>One file's methods (by name) with the names they call, and its Refit interface methods.</summary>
    private sealed class TreeCalls
    {
        private TreeCalls(Dictionary<string, HashSet<string>> methods, ImmutableArray<string> refitMethods)
        {
            Methods = methods;
            RefitMethods = refitMethods;
        }

        public Dictionary<string, HashSet<string>> Methods { get; }

        public ImmutableArray<string> RefitMethods { get; }

        public static TreeCalls Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var methods = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var refit = ImmutableArray.CreateBuilder<string>();
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(n => n is not ExpressionSyntax and not StatementSyntax))
            {
                var (name, body) = node switch
                {
                    MethodDeclarationSyntax method => (method.Identifier.ValueText, (SyntaxNode?)method.Body ?? method.ExpressionBody),
                    LocalFunctionStatementSyntax local => (local.Identifier.ValueText, (SyntaxNode?)local.Body ?? local.ExpressionBody),
                    _ => (null, null),
                };
                if (name is null)
                {
                    continue;
                }

                if (body is null)
                {
                    // A bodiless interface method with a Refit verb attribute: [Get("/users/{id}")].
                    if (node.Parent is InterfaceDeclarationSyntax && ((MethodDeclarationSyntax)node).AttributeLists.Count > 0)
                    {
                        refit.Add(name);
                    }

                    continue;
                }

                if (!methods.TryGetValue(name, out var calls))
                {
                    methods[name] = calls = new HashSet<string>(StringComparer.Ordinal);
                }

                foreach (var call in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
                {
                    if (InvokedName(call) is { } invoked)
                    {
                        calls.Add(invoked);
                    }
                }

                // An async iterator pages by itself when it sends: `await foreach` over it is a call by another name.
                foreach (var loop in body.DescendantNodes().OfType<ForEachStatementSyntax>())
                {
                    if (loop.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword) && loop.Expression is InvocationExpressionSyntax iterated && InvokedName(iterated) is { } iterator)
                    {
                        calls.Add(iterator);
                    }
                }
            }

            return new TreeCalls(methods, refit.ToImmutable());
        }

        private static string? InvokedName(InvocationExpressionSyntax call) => call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax name => name.Identifier.ValueText,
            _ => null,
        };
    }
}
