using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>
/// Operation actions for the code that may involve requests, and for nothing else. An operation-block action makes the
/// compiler build the operation tree of every member of the compilation, for whichever analyzer registers one first: on a
/// library that sends nothing that was most of our rules' reported time. Instead each file gets one semantic-model action,
/// which reads the members' text through the name gate (<see cref="HttpKnowledge.MayInvolveRequests(SyntaxNode, CancellationToken)"/>)
/// and binds only the members it lets through, usually none of them.
/// </summary>
internal static class GatedOperationActions
{
    // Which members of a file pass the gate, worked out once per file for all the rules of one compilation.
    private static readonly ConditionalWeakTable<HttpKnowledge, ConcurrentDictionary<SyntaxTree, Block[]>> s_blocks = new();

    /// <summary>Calls <paramref name="action"/> for every operation of one of <paramref name="kinds"/> in the members that may involve requests.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1012", Justification = "Registers on the start context it is given.")]
    public static void Register(CompilationStartAnalysisContext start, HttpKnowledge knowledge, Action<OperationAnalysisContext> action, params OperationKind[] kinds)
    {
        var compilation = start.Compilation;
        start.RegisterSemanticModelAction(context =>
        {
            foreach (var member in BoundMembersOf(knowledge, context.SemanticModel, context.CancellationToken))
            {
                foreach (var operation in member.Operations)
                {
                    if (Array.IndexOf(kinds, operation.Kind) >= 0)
                    {
                        action(Context(operation, member.Owner, compilation, context));
                    }
                }
            }
        });
    }

    // The operations of the members that pass the gate, bound and walked once per file for all the rules of one compilation
    // (each rule looks at a few kinds of them; walking the trees once per rule cost more than the binding).
    private static readonly ConditionalWeakTable<HttpKnowledge, ConcurrentDictionary<SyntaxTree, BoundMember[]>> s_bound = new();

    private static BoundMember[] BoundMembersOf(HttpKnowledge knowledge, SemanticModel model, CancellationToken cancellationToken)
    {
        var bound = s_bound.GetValue(knowledge, static _ => new ConcurrentDictionary<SyntaxTree, BoundMember[]>());
        return bound.TryGetValue(model.SyntaxTree, out var known) ? known : bound.GetOrAdd(model.SyntaxTree, _ => Bind(knowledge, model, cancellationToken));
    }

    private static BoundMember[] Bind(HttpKnowledge knowledge, SemanticModel model, CancellationToken cancellationToken)
    {
        var members = new List<BoundMember>();
        foreach (var block in BlocksOf(knowledge, model.SyntaxTree, cancellationToken))
        {
            if (model.GetOperation(block.Body, cancellationToken) is not { } root
                || model.GetDeclaredSymbol(block.Declaration, cancellationToken) is not { } declared)
            {
                continue;
            }

            // What an operation-block action would give as the containing symbol: an expression-bodied property's getter.
            var owner = declared is IPropertySymbol { GetMethod: { } getter } && block.Body is ArrowExpressionClauseSyntax ? getter : declared;
            members.Add(new BoundMember(owner, root.DescendantsAndSelf().ToImmutableArray()));
        }

        return members.ToArray();
    }

    // BoundMember and Block are classes, kept in arrays: a generic collection of a value type of ours is compiled by the
    // JIT in every build that loads the package.
    /// <param name="Owner">The member's symbol, as an operation-block action would give it.</param>
    /// <param name="Operations">Every operation of the member's code, in the order a walk from its root meets them.</param>
    private sealed record BoundMember(ISymbol Owner, ImmutableArray<IOperation> Operations);

    // The only public way to make an operation context in Roslyn 4.8, which the package must load in; the control flow
    // graph it cannot give is asked by no rule.
#pragma warning disable CS0618
    private static OperationAnalysisContext Context(IOperation operation, ISymbol owner, Compilation compilation, SemanticModelAnalysisContext context) =>
        new(operation, owner, compilation, context.Options, context.ReportDiagnostic, static _ => true, context.CancellationToken);
#pragma warning restore CS0618

    private static Block[] BlocksOf(HttpKnowledge knowledge, SyntaxTree tree, CancellationToken cancellationToken) =>
        s_blocks.GetValue(knowledge, static _ => new ConcurrentDictionary<SyntaxTree, Block[]>())
            .GetOrAdd(tree, t => GatedBlocks(knowledge, t, cancellationToken));

    private static Block[] GatedBlocks(HttpKnowledge knowledge, SyntaxTree tree, CancellationToken cancellationToken)
    {
        if (!knowledge.MayInvolveRequests(tree, cancellationToken))
        {
            // Most files: nothing in them is named like a request, so no member is read.
            return Array.Empty<Block>();
        }

        var blocks = new List<Block>();
        var root = tree.GetRoot(cancellationToken);
        foreach (var block in Blocks(root))
        {
            if (knowledge.MayInvolveRequests(block.Body, cancellationToken))
            {
                blocks.Add(block);
            }
        }

        return blocks.ToArray();
    }

    // The members whose code the compiler binds: method, constructor, operator and accessor bodies, expression bodies,
    // field and property initializers, and the top-level statements.
    private static IEnumerable<Block> Blocks(SyntaxNode root)
    {
        if (root is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>().Any())
        {
            yield return new Block(unit, unit);
        }

        foreach (var node in root.DescendantNodes(descendIntoChildren: n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax))
        {
            switch (node)
            {
                case BaseMethodDeclarationSyntax method when method.Body is not null || method.ExpressionBody is not null:
                    yield return new Block(method, method);
                    break;
                case BasePropertyDeclarationSyntax property:
                    foreach (var accessor in property.AccessorList?.Accessors ?? default)
                    {
                        if (accessor.Body is not null || accessor.ExpressionBody is not null)
                        {
                            yield return new Block(accessor, accessor);
                        }
                    }

                    var expressionBody = (property as PropertyDeclarationSyntax)?.ExpressionBody ?? (property as IndexerDeclarationSyntax)?.ExpressionBody;
                    if (expressionBody is not null)
                    {
                        yield return new Block(property, expressionBody);
                    }

                    if (property is PropertyDeclarationSyntax { Initializer: { } propertyInitializer })
                    {
                        yield return new Block(property, propertyInitializer);
                    }

                    break;
                case BaseFieldDeclarationSyntax field:
                    foreach (var variable in field.Declaration.Variables)
                    {
                        if (variable.Initializer is { } initializer)
                        {
                            yield return new Block(variable, initializer);
                        }
                    }

                    break;
            }
        }
    }

    /// <param name="Declaration">What declares the member, for its symbol.</param>
    /// <param name="Body">The code the member binds, and what the gate reads.</param>
    private sealed record Block(SyntaxNode Declaration, SyntaxNode Body);
}
