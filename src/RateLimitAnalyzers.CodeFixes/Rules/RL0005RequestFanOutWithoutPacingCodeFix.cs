using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0005 fix: each item waits for its turn on the pacer shared under the endpoint's key before its request, inside the
/// lambda the fan-out runs per item (<c>async x =&gt; { await StripePacer.WaitTurnAsync(); return await ...; }</c>), or, for
/// tasks started in a loop, before each task is started. The pacer is the <c>static readonly</c> field named after the API
/// that the RL0001 fix also writes and reuses (<see cref="PacingCode"/>), built once rather than per item. The requests
/// still overlap; they start at the quota's pace.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0005RequestFanOutWithoutPacingCodeFix))]
public sealed class RL0005RequestFanOutWithoutPacingCodeFix : EditorCodeFixProvider
{
    /// <summary>One key for every RL0005 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0005.PaceEachItem";

    public RL0005RequestFanOutWithoutPacingCodeFix()
        : base(EquivalenceKey)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RequestFanOutWithoutPacing);

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic) =>
        PacingCode.ClientTarget(root, diagnostic) is not null ? PacingCode.ThroughClientTitle
            : FindWork(root, diagnostic) is { } work && CanFix(work, diagnostic) ? "Wait for a turn under the quota before each item's request"
            : null;

    private protected override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        if (pass.PaceThroughClient(diagnostic))
        {
            return true;
        }

        if (FindWork(pass.Root, diagnostic) is not { } work || !CanFix(work, diagnostic))
        {
            return false;
        }

        if (work is AnonymousFunctionExpressionSyntax lambda)
        {
            var position = lambda.Body is BlockSyntax block ? block.OpenBraceToken.Span.End : lambda.Body.SpanStart;
            var wait = PacerWaitCode.Statement(pass.Pacing, diagnostic, lambda, position);
            var returnsValue = diagnostic.Properties.TryGetValue(RL0005RequestFanOutWithoutPacingAnalyzer.ReturnsValueProperty, out var r) && r == "true";
            var isAsync = PacerWaitCode.IsAsync(diagnostic);
            var lineBreak = SyntaxFactory.ElasticEndOfLine(RuntimeCode.NewLine(pass.Root));
            pass.Editor.ReplaceNode(lambda, (current, _) => WaitFirst((AnonymousFunctionExpressionSyntax)current, wait, isAsync, returnsValue, lineBreak));
        }
        else
        {
            pass.Editor.InsertBefore(work, PacerWaitCode.Statement(pass.Pacing, diagnostic, work, work.SpanStart));
        }

        return true;
    }

    /// <summary>The lambda each item runs, or the statement that starts a task in a loop (<c>tasks.Add(...);</c>) when it sits in a block.</summary>
    private static SyntaxNode? FindWork(SyntaxNode root, Diagnostic diagnostic)
    {
        if (diagnostic.AdditionalLocations.Count == 0 || !root.FullSpan.Contains(diagnostic.AdditionalLocations[0].SourceSpan))
        {
            return null;
        }

        var node = root.FindNode(diagnostic.AdditionalLocations[0].SourceSpan, getInnermostNodeForTie: true);
        return node switch
        {
            AnonymousFunctionExpressionSyntax lambda => lambda,
            InvocationExpressionSyntax { Parent: ExpressionStatementSyntax { Parent: BlockSyntax } statement } => statement,
            _ => node.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is { } outer && outer.Span == diagnostic.AdditionalLocations[0].SourceSpan ? outer : null,
        };
    }

    /// <summary>
    /// A lambda that returns a task from a block body without being async cannot be made async without rewriting its
    /// returns, and an <c>await</c> cannot go inside a <c>lock</c>: there the fix is not offered.
    /// </summary>
    private static bool CanFix(SyntaxNode work, Diagnostic diagnostic)
    {
        if (work is AnonymousFunctionExpressionSyntax lambda)
        {
            return lambda.Body is not BlockSyntax || lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword) || !PacerWaitCode.IsAsync(diagnostic);
        }

        return !PacerWaitCode.IsAsync(diagnostic)
            || !work.Ancestors().TakeWhile(a => a is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax)).OfType<LockStatementSyntax>().Any();
    }

    private static AnonymousFunctionExpressionSyntax WaitFirst(AnonymousFunctionExpressionSyntax lambda, StatementSyntax wait, bool isAsync, bool returnsValue, SyntaxTrivia lineBreak)
    {
        if (lambda.Body is BlockSyntax block)
        {
            return lambda.WithBody(block.WithStatements(block.Statements.Insert(0, wait)));
        }

        var expression = (ExpressionSyntax)lambda.Body;
        var makeAsync = isAsync && !lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
        if (makeAsync)
        {
            // A lambda that returns the task its call makes now awaits it, after its turn.
            expression = SyntaxFactory.AwaitExpression(expression is InvocationExpressionSyntax or MemberAccessExpressionSyntax or IdentifierNameSyntax
                ? expression.WithoutTrivia()
                : SyntaxFactory.ParenthesizedExpression(expression.WithoutTrivia()));
        }

        StatementSyntax last = returnsValue
            ? SyntaxFactory.ReturnStatement(expression.WithoutTrivia())
            : SyntaxFactory.ExpressionStatement(expression.WithoutTrivia());
        // On lines of their own, as a person would write the block (the formatter keeps a block on one line if it is made
        // so), in the file's line ending.
        var body = SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(lineBreak).WithTrailingTrivia(lineBreak),
            SyntaxFactory.List(new[] { wait.WithTrailingTrivia(lineBreak), last.WithTrailingTrivia(lineBreak) }),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken));
        var newLambda = (lambda is LambdaExpressionSyntax arrow ? arrow.WithArrowToken(arrow.ArrowToken.WithTrailingTrivia()) : lambda)
            .WithBody(body)
            .WithAdditionalAnnotations(Formatter.Annotation);
        if (makeAsync)
        {
            var leading = newLambda.GetLeadingTrivia();
            newLambda = newLambda.WithoutLeadingTrivia();
            newLambda = newLambda.WithModifiers(newLambda.Modifiers.Insert(0, SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.Space)));
        }

        return newLambda;
    }
}
