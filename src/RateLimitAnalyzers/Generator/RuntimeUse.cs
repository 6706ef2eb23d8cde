using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace RateLimitAnalyzers.Generator;

/// <summary>
/// Whether the user's code names the pacing runtime's namespace, <c>RateLimitAnalyzers.Pacing</c>: the one sign,
/// read from syntax alone, that the compilation uses the runtime. Code cannot reach a runtime type without naming
/// the namespace somewhere (a <c>using</c>, a <c>global using</c>, a full name, the fixes' <c>global::</c> names),
/// while type names alone would also match the user's own types and <c>HttpResponseHeaders.RetryAfter</c>.
/// </summary>
internal static class RuntimeUse
{
    private const string RootName = "RateLimitAnalyzers";
    private const string LeafName = "Pacing";

    /// <summary>
    /// Whether the tree names the namespace anywhere: the text is searched for <c>RateLimitAnalyzers</c> first, and only
    /// where it occurs is the syntax around it looked at, so a tree that never mentions it costs one pass over its text.
    /// </summary>
    public static bool NamesRuntimeNamespace(SyntaxTree tree, CancellationToken cancellationToken) =>
        s_answers.TryGetValue(tree, out var known) ? known == s_names : s_answers.GetValue(tree, t => Read(t, cancellationToken) ? s_names : s_namesNot) == s_names;

    // The answer per tree: the IDE makes a compilation per keystroke, of the same trees but the one edited.
    private static readonly ConditionalWeakTable<SyntaxTree, object> s_answers = new();
    private static readonly object s_names = new();
    private static readonly object s_namesNot = new();

    private static bool Read(SyntaxTree tree, CancellationToken cancellationToken)
    {
        var text = tree.GetText(cancellationToken).ToString();
        var at = text.IndexOf(RootName, StringComparison.Ordinal);
        if (at < 0)
        {
            return false;
        }

        var root = tree.GetRoot(cancellationToken);
        for (; at >= 0; at = text.IndexOf(RootName, at + RootName.Length, StringComparison.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();

            // RateLimitAnalyzers.Pacing, global::RateLimitAnalyzers.Pacing: the Pacing is the right side of the root's
            // parent, or of its grandparent when the root is alias-qualified. Mentions in comments and strings find no such node.
            var node = root.FindToken(at).Parent;
            for (var level = 0; level < 3 && node is not null; level++, node = node.Parent)
            {
                var right = node switch
                {
                    QualifiedNameSyntax qualified => qualified.Right,
                    MemberAccessExpressionSyntax access => access.Name,
                    _ => null,
                };
                if (right is not null && NamesRuntimeNamespace(right, cancellationToken))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// True for the <c>Pacing</c> in <c>RateLimitAnalyzers.Pacing</c> and <c>global::RateLimitAnalyzers.Pacing</c>,
    /// as a name (usings, types, namespace declarations) or as an expression (<c>RateLimitAnalyzers.Pacing.Backoff.Delay(...)</c>).
    /// </summary>
    public static bool NamesRuntimeNamespace(SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is not IdentifierNameSyntax name || name.Identifier.ValueText != LeafName)
        {
            return false;
        }

        var left = name.Parent switch
        {
            QualifiedNameSyntax qualified when qualified.Right == name => qualified.Left,
            MemberAccessExpressionSyntax access when access.Name == name => access.Expression,
            _ => null,
        };
        return left switch
        {
            IdentifierNameSyntax root => root.Identifier.ValueText == RootName,
            AliasQualifiedNameSyntax global => global.Alias.Identifier.ValueText == "global" && global.Name.Identifier.ValueText == RootName,
            _ => false,
        };
    }
}
