using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
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
public sealed class RL0001PagingLoopWithoutPacingCodeFix : CodeFixProvider
{
    /// <summary>One key for every RL0001 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0001.InsertPacing";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.PagingLoopWithoutPacing);

    public override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeCode.IsAvailable(context.Document, model.Compilation))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var title = PacingCode.ClientTarget(root, diagnostic) is not null ? "Pace the requests through the client's rate-limit handler"
                : FindLoop(root, diagnostic) is { } loop && CanInsertInto(loop, diagnostic) ? "Wait for a turn under the quota before each request"
                : null;
            if (title is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    private static async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeCode.IsAvailable(document, model.Compilation))
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var code = new PacingCode(editor, model, root, PacingCode.MaxLineLength(document, root.SyntaxTree));
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (PacingCode.ClientTarget(root, diagnostic) is { } client)
            {
                code.GiveClient(client, code.Policy(diagnostic, client));
                changed = true;
                continue;
            }

            if (FindLoop(root, diagnostic) is not { } loop || !CanInsertInto(loop, diagnostic) || PacingCode.WaitsOnPacer(FirstStatement(loop), diagnostic))
            {
                continue;
            }

            var statement = PacingStatement(diagnostic, code, loop);
            editor.ReplaceNode(loop, (current, _) => InsertAtTop((StatementSyntax)current, statement));
            changed = true;
        }

        if (!changed)
        {
            return document;
        }

        code.Finish();
        var newRoot = editor.GetChangedRoot();
        if (code.NeedsImport && newRoot is CompilationUnitSyntax unit)
        {
            newRoot = RuntimeCode.AddImport(unit);
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
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
        if (!IsAsync(diagnostic))
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

    private static bool IsAsync(Diagnostic diagnostic) =>
        diagnostic.Properties.TryGetValue(PacingFixData.IsAsync, out var value) && value == "true";

    /// <summary><c>await GitHubPacer.WaitTurnAsync(cancellationToken);</c>, or <c>GitHubPacer.WaitTurn();</c> in synchronous code.</summary>
    private static ExpressionStatementSyntax PacingStatement(Diagnostic diagnostic, PacingCode code, StatementSyntax loop)
    {
        var properties = diagnostic.Properties;
        var token = properties.TryGetValue(PacingFixData.CancellationToken, out var t) && t is not null ? RuntimeCode.EscapeIdentifier(t) : string.Empty;
        var pacer = code.Pacer(diagnostic, loop, InsertionPosition(loop));

        // Parsed as an expression and awaited through the factory: outside an async context the parser would read "await" as a name.
        var call = SyntaxFactory.ParseExpression(pacer + (IsAsync(diagnostic) ? ".WaitTurnAsync(" : ".WaitTurn(") + token + ")");
        var expression = IsAsync(diagnostic) ? SyntaxFactory.AwaitExpression(call) : call;
        return SyntaxFactory.ExpressionStatement(expression).WithAdditionalAnnotations(Formatter.Annotation);
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
