using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using RateLimitAnalyzers.Knowledge;

namespace RateLimitAnalyzers.Rules;

/// <summary>What a fix that inserts a wait needs to know about the function a finding sits in: whether it is async, and its CancellationToken.</summary>
internal static class FunctionFacts
{
    /// <summary>Diagnostic property: "true" when the enclosing function is async, so the fix awaits.</summary>
    public const string IsAsyncProperty = "IsAsync";

    /// <summary>Diagnostic property: the enclosing function's CancellationToken parameter, when it has one.</summary>
    public const string CancellationTokenProperty = "CancellationToken";

    /// <summary>The method, local function or lambda an operation runs in.</summary>
    public static IMethodSymbol? EnclosingFunction(IOperation operation, ISymbol containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation local:
                    return local.Symbol;
            }
        }

        return containingSymbol as IMethodSymbol;
    }

    /// <summary>Records whether the function around <paramref name="operation"/> is async and its CancellationToken, for a fix that inserts a wait.</summary>
    public static void Add(ImmutableDictionary<string, string?>.Builder properties, IOperation operation, ISymbol containingSymbol, HttpKnowledge knowledge)
    {
        var function = EnclosingFunction(operation, containingSymbol);
        var token = function?.Parameters.FirstOrDefault(p => knowledge.Is(p.Type, knowledge.CancellationToken));
        properties[IsAsyncProperty] = function?.IsAsync == true ? "true" : "false";
        if (token is not null)
        {
            properties[CancellationTokenProperty] = token.Name;
        }
    }

    /// <summary>The first of <paramref name="candidates"/> that no identifier in the member around <paramref name="near"/> uses, so a name a fix declares clashes with nothing.</summary>
    public static string FreshName(SyntaxNode near, params string[] candidates)
    {
        var member = near.FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? near;
        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        return candidates.FirstOrDefault(n => !used.Contains(n))
            ?? Enumerable.Range(2, 100).Select(i => candidates[0] + i.ToString(CultureInfo.InvariantCulture)).First(n => !used.Contains(n));
    }
}
