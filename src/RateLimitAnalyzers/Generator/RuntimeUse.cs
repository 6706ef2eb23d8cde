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
    /// True for the <c>Pacing</c> in <c>RateLimitAnalyzers.Pacing</c> and <c>global::RateLimitAnalyzers.Pacing</c>,
    /// as a name (usings, types, namespace declarations) or as an expression (<c>RateLimitAnalyzers.Pacing.Backoff.Delay(...)</c>).
    /// Called for every node of every changed tree, so it tests the node's kind and text before anything else.
    /// </summary>
    public static bool NamesRuntimeNamespace(SyntaxNode node, System.Threading.CancellationToken cancellationToken)
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
