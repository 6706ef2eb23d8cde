using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Generator;
using RateLimitAnalyzers.Knowledge;
using RateLimitAnalyzers.Knowledge.Endpoints;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0001 fix: pace the loop at the quota, once per request.
/// <list type="bullet">
/// <item>At the top of the loop body, wait for a turn on the pacer the process shares under the endpoint's key, held in a
/// <c>static readonly</c> field named after the API, with the quota and an even cadence within it written out:
/// <c>private static readonly RequestPacer GitHubPacer = RequestPacer.Shared("api.github.com/*", QuotaWindow.PerHour(5000), QuotaWindow.MinimumInterval(TimeSpan.FromMilliseconds(720)));</c>
/// and <c>await GitHubPacer.WaitTurnAsync(cancellationToken);</c>.</item>
/// <item>Where the loop's client is made in the file and RL0002 reports the same calls, the client paces them instead,
/// through the same <c>RateLimitedHandler</c> and policy field the RL0002 fix writes (<see cref="PacingCode"/>): one turn
/// per request whichever fix runs first.</item>
/// </list>
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0001PagingLoopWithoutPacingCodeFix))]
public sealed class RL0001PagingLoopWithoutPacingCodeFix : EditorCodeFixProvider
{
    /// <summary>One key for every RL0001 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0001.InsertPacing";

    public RL0001PagingLoopWithoutPacingCodeFix()
        : base(EquivalenceKey)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PagingLoopWithoutPacing);

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic) =>
        PacingCode.ClientTarget(root, diagnostic) is not null ? PacingCode.ThroughClientTitle
            : FindLoop(root, diagnostic) is { } loop && CanInsertInto(loop, diagnostic) ? "Wait for a turn under the quota before each request"
            : null;

    private protected override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        if (pass.PaceThroughClient(diagnostic))
        {
            return true;
        }

        if (FindLoop(pass.Root, diagnostic) is not { } loop || !CanInsertInto(loop, diagnostic) || PacingCode.WaitsOnPacer(FirstStatement(loop), diagnostic))
        {
            return false;
        }

        var statement = PacerWaitCode.Statement(pass.Pacing, diagnostic, loop, InsertionPosition(loop));
        pass.Editor.ReplaceNode(loop, (current, _) => InsertAtTop((StatementSyntax)current, statement));
        return true;
    }

    private static StatementSyntax? FindLoop(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan))
        {
            return null;
        }

        var node = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        return node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax ? (StatementSyntax)node : null;
    }

    /// <summary>An <c>await</c> cannot go inside a <c>lock</c>; there the fix is not offered.</summary>
    private static bool CanInsertInto(StatementSyntax loop, Diagnostic diagnostic)
    {
        if (!PacerWaitCode.IsAsync(diagnostic))
        {
            return true;
        }

        foreach (var ancestor in loop.Ancestors())
        {
            switch (ancestor)
            {
                case LockStatementSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                    return true;
            }
        }

        return true;
    }

    private static StatementSyntax? FirstStatement(StatementSyntax loop) => Body(loop) is BlockSyntax block ? block.Statements.FirstOrDefault() : Body(loop);

    /// <summary>Inside the body, where the loop's variable and the body's locals are in scope and could take a runtime type's name.</summary>
    private static int InsertionPosition(StatementSyntax loop) => Body(loop) switch
    {
        BlockSyntax block => block.OpenBraceToken.Span.End,
        { } statement => statement.SpanStart,
        null => loop.SpanStart,
    };

    private static StatementSyntax? Body(StatementSyntax loop) => loop switch
    {
        WhileStatementSyntax w => w.Statement,
        DoStatementSyntax d => d.Statement,
        ForStatementSyntax f => f.Statement,
        CommonForEachStatementSyntax e => e.Statement,
        _ => null,
    };

    private static StatementSyntax InsertAtTop(StatementSyntax loop, StatementSyntax pacing)
    {
        var body = Body(loop);
        if (body is null)
        {
            return loop;
        }

        var newBody = body is BlockSyntax block
            ? block.WithStatements(block.Statements.Insert(0, pacing))
            : SyntaxFactory.Block(pacing, body).WithAdditionalAnnotations(Formatter.Annotation);

        return loop switch
        {
            WhileStatementSyntax w => w.WithStatement(newBody),
            DoStatementSyntax d => d.WithStatement(newBody),
            ForStatementSyntax f => f.WithStatement(newBody),
            CommonForEachStatementSyntax e => e.WithStatement(newBody),
            _ => loop,
        };
    }
}
