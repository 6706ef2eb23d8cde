using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace RateLimitAnalyzers.Knowledge;

/// <summary>
/// What the compilation's code calls, by name, read from syntax alone: for each file, every call's name and every
/// created type's name with its position, and the user's methods with the names their bodies call. It answers two
/// questions that would otherwise mean binding most of the code a second time:
/// <list type="bullet">
/// <item>which of the user's methods are worth following into, because within <see cref="Rounds"/> calls they reach
/// something that sends a request or waits;</item>
/// <item>whether a block of code mentions anything the rules look at at all, so the rules skip the great majority of
/// code (string helpers, mappers, domain logic) without looking at its operations.</item>
/// </list>
/// </summary>
/// <remarks>
/// It over-approximates on purpose: names, not symbols, so an unrelated method that shares a name with a sending one
/// is followed too, and the binding-based summary then gives the real answer. It never under-approximates within
/// <see cref="Rounds"/>. Each syntax tree is read once and kept while the tree lives, so a new compilation after an
/// edit re-reads only the edited file. The index built from all of them holds names only, so
/// <see cref="HttpKnowledge"/> keeps it for every compilation of the same trees (the IDE's per-file clones).
/// </remarks>
internal sealed class CallNameIndex
{
    /// <summary>How many calls deep a method's sends and waits are followed; the rules follow three.</summary>
    public const int Rounds = 3;

    private static readonly ConditionalWeakTable<SyntaxTree, TreeNames> s_trees = new();

    private readonly HashSet<string> _worthFollowing;
    private readonly HashSet<string> _refitMethods;

    private CallNameIndex(HashSet<string> worthFollowing, HashSet<string> refitMethods)
    {
        _worthFollowing = worthFollowing;
        _refitMethods = refitMethods;
    }

    /// <summary>Whether a source method of this name may send or wait within <see cref="Rounds"/> calls.</summary>
    public bool IsWorthFollowing(string methodName) => _worthFollowing.Contains(methodName);

    /// <summary>Whether a method of this name is declared on a Refit interface of the compilation: calling it sends a request.</summary>
    public bool IsRefitMethod(string methodName) => _refitMethods.Contains(methodName);

    /// <summary>The names of one file, read once per tree.</summary>
    public static TreeNames Of(SyntaxTree tree, CancellationToken cancellationToken) =>
        s_trees.GetValue(tree, t => TreeNames.Read(t, cancellationToken));

    /// <param name="isSeed">Whether a call of this name may send or wait by itself (<c>GetAsync</c>, <c>ExecuteAsync</c>, <c>Delay</c>).</param>
    public static CallNameIndex Build(Compilation compilation, Func<string, bool> isSeed, CancellationToken cancellationToken)
    {
        var trees = new List<TreeNames>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            cancellationToken.ThrowIfCancellationRequested();
            trees.Add(Of(tree, cancellationToken));
        }

        // Calling a Refit interface method sends a request.
        var refitMethods = new HashSet<string>(trees.SelectMany(t => t.RefitMethods), StringComparer.Ordinal);
        var interesting = new HashSet<string>(refitMethods, StringComparer.Ordinal);
        var worthFollowing = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 0; round < Rounds; round++)
        {
            var added = new List<string>();
            foreach (var tree in trees)
            {
                foreach (var method in tree.Methods)
                {
                    if (!worthFollowing.Contains(method.Name) && tree.AnyNameIn(method.Body, name => interesting.Contains(name) || isSeed(name)))
                    {
                        added.Add(method.Name);
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

    /// <summary>One file's call and created-type names in document order, its methods' bodies, and its Refit interface methods.</summary>
    internal sealed class TreeNames
    {
        private readonly int[] _positions;
        private readonly string[] _names;

        private TreeNames(int[] positions, string[] names, ImmutableArray<(string Name, TextSpan Body)> methods, ImmutableArray<string> refitMethods)
        {
            _positions = positions;
            _names = names;
            Methods = methods;
            RefitMethods = refitMethods;
        }

        public ImmutableArray<(string Name, TextSpan Body)> Methods { get; }

        public ImmutableArray<string> RefitMethods { get; }

        /// <summary>Whether a name the predicate accepts is called or created within <paramref name="span"/>.</summary>
        public bool AnyNameIn(TextSpan span, Func<string, bool> predicate)
        {
            var i = Array.BinarySearch(_positions, span.Start);
            if (i < 0)
            {
                i = ~i;
            }

            // Several names can start at one position (x.Y().Z()); begin with the first of them.
            while (i > 0 && _positions[i - 1] >= span.Start)
            {
                i--;
            }

            for (; i < _positions.Length && _positions[i] < span.End; i++)
            {
                if (predicate(_names[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether the file calls a name the predicate accepts anywhere.</summary>
        public bool AnyName(Func<string, bool> predicate) => _names.Any(predicate);

        public static TreeNames Read(SyntaxTree tree, CancellationToken cancellationToken)
        {
            var positions = new List<int>();
            var names = new List<string>();
            var methods = ImmutableArray.CreateBuilder<(string, TextSpan)>();
            var refit = ImmutableArray.CreateBuilder<string>();
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                switch (node)
                {
                    case InvocationExpressionSyntax call when InvokedName(call) is { } invoked:
                        positions.Add(call.SpanStart);
                        names.Add(invoked);
                        break;
                    case ForEachStatementSyntax { AwaitKeyword.RawKind: (int)SyntaxKind.AwaitKeyword, Expression: InvocationExpressionSyntax iterated }
                        when InvokedName(iterated) is { } iterator:
                        // An async iterator that sends pages by itself: `await foreach` over it sends too (also recorded as a call).
                        positions.Add(node.SpanStart);
                        names.Add(iterator);
                        break;
                    case BaseObjectCreationExpressionSyntax creation when CreatedName(creation) is { } created:
                        positions.Add(creation.SpanStart);
                        names.Add(created);
                        break;
                    case MethodDeclarationSyntax { Body: null, ExpressionBody: null, Parent: InterfaceDeclarationSyntax, AttributeLists.Count: > 0 } refitMethod:
                        // A bodiless interface method with a Refit verb attribute: [Get("/users/{id}")].
                        refit.Add(refitMethod.Identifier.ValueText);
                        break;
                    case MethodDeclarationSyntax method when ((SyntaxNode?)method.Body ?? method.ExpressionBody) is { } body:
                        methods.Add((method.Identifier.ValueText, body.Span));
                        break;
                    case LocalFunctionStatementSyntax local when ((SyntaxNode?)local.Body ?? local.ExpressionBody) is { } localBody:
                        methods.Add((local.Identifier.ValueText, localBody.Span));
                        break;
                }
            }

            return new TreeNames(positions.ToArray(), names.ToArray(), methods.ToImmutable(), refit.ToImmutable());
        }

        private static string? InvokedName(InvocationExpressionSyntax call) => call.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax name => name.Identifier.ValueText,
            _ => null,
        };

        private static string? CreatedName(BaseObjectCreationExpressionSyntax creation) => creation switch
        {
            ObjectCreationExpressionSyntax { Type: var type } => TypeName(type),
            // `RetryStrategyOptions<HttpResponseMessage> options = new() { ... }`: the declared type names what is made.
            ImplicitObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } } } => TypeName(declaration.Type),
            ImplicitObjectCreationExpressionSyntax { Parent: EqualsValueClauseSyntax { Parent: PropertyDeclarationSyntax property } } => TypeName(property.Type),
            _ => null,
        };

        private static string? TypeName(TypeSyntax type) => type switch
        {
            SimpleNameSyntax name => name.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            _ => null,
        };
    }
}
