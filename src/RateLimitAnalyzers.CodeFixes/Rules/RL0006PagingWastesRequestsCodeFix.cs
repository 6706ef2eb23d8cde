using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0006 fix: ask for the largest page, in the URL text the request is written with: <c>per_page=20</c> becomes
/// <c>per_page=100</c>, and a query without the parameter gets it first (<c>?per_page=100&amp;page=</c>).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0006PagingWastesRequestsCodeFix))]
public sealed class RL0006PagingWastesRequestsCodeFix : EditorCodeFixProvider
{
    /// <summary>One key for every RL0006 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0006.LargestPage";

    public RL0006PagingWastesRequestsCodeFix()
        : base(EquivalenceKey)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PagingWastesRequests);

    // The fix edits the URL text and the loop; it writes nothing of the runtime.
    private protected override bool CallsRuntime => false;

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic) =>
        EmptyPageCheck(root, diagnostic) is not null ? "Stop on an empty page"
            : Edit(root, diagnostic) is not null ? "Ask for the largest page the API allows"
            : null;

    private protected override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        if (EmptyPageCheck(pass.Root, diagnostic) is { } check)
        {
            pass.Editor.InsertAfter(check.After, check.Statement);
            return true;
        }

        if (Edit(pass.Root, diagnostic) is { } edit && edit.Old.Parent is { } text && pass.Claim(text))
        {
            pass.Editor.ReplaceNode(text, text.ReplaceToken(edit.Old, edit.New));
            return true;
        }

        return false;
    }

    /// <summary>
    /// For a page counter with a fixed bound: <c>if (items is null || items.Count == 0) break;</c> right after the statement
    /// that declares the page's items.
    /// </summary>
    private static (StatementSyntax After, StatementSyntax Statement)? EmptyPageCheck(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)
            || !diagnostic.Properties.TryGetValue(RL0006PagingWastesRequestsAnalyzer.PageVariableProperty, out var page) || page is null
            || !diagnostic.Properties.TryGetValue(RL0006PagingWastesRequestsAnalyzer.CountMemberProperty, out var count) || count is null
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is not { Parent: BlockSyntax } declaration)
        {
            return null;
        }

        var name = RuntimeCode.EscapeIdentifier(page);
        var empty = name + "." + count + " == 0";
        var condition = diagnostic.Properties.TryGetValue(RL0006PagingWastesRequestsAnalyzer.CanBeNullProperty, out var canBeNull) && canBeNull == "true"
            ? name + " is null || " + empty
            : empty;
        var check = SyntaxFactory.ParseStatement("if (" + condition + ") break;")
            .WithLeadingTrivia(declaration.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
            .WithTrailingTrivia(declaration.GetTrailingTrivia());
        return (declaration, check);
    }

    /// <summary>The string token of the request's URL that holds the parameter (or the query's start), and what it becomes.</summary>
    private static (SyntaxToken Old, SyntaxToken New)? Edit(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)
            || !diagnostic.Properties.TryGetValue(RL0006PagingWastesRequestsAnalyzer.ParameterProperty, out var parameter) || parameter is null
            || !diagnostic.Properties.TryGetValue(RL0006PagingWastesRequestsAnalyzer.MaximumProperty, out var maximum) || maximum is null)
        {
            return null;
        }

        diagnostic.Properties.TryGetValue(RL0006PagingWastesRequestsAnalyzer.ValueProperty, out var value);
        var pattern = value is null
            ? new Regex(@"\?", RegexOptions.CultureInvariant)
            : new Regex(@"(?<=[?&])" + Regex.Escape(parameter) + "=" + Regex.Escape(value) + @"(?![0-9])", RegexOptions.CultureInvariant);
        var replacement = value is null ? "?" + parameter + "=" + maximum + "&" : parameter + "=" + maximum;

        var call = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        foreach (var token in call.DescendantTokens())
        {
            if (token.Kind() is not (SyntaxKind.StringLiteralToken or SyntaxKind.InterpolatedStringTextToken) || !pattern.IsMatch(token.Text))
            {
                continue;
            }

            var text = pattern.Replace(token.Text, replacement, 1);
            var valueText = pattern.Replace(token.ValueText, replacement, 1);
            return (token, SyntaxFactory.Token(token.LeadingTrivia, token.Kind(), text, valueText, token.TrailingTrivia));
        }

        return null;
    }
}
