using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0005 fix: each item waits for its turn on the pacer shared under the endpoint's key before its request, inside the
/// lambda the fan-out runs per item (<c>async x =&gt; { await RequestPacer.Shared(...).WaitTurnAsync(); return await ...; }</c>),
/// or, for tasks started in a loop, before each task is started. The requests still overlap; they start at the quota's pace.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0005RequestFanOutWithoutPacingCodeFix))]
public sealed class RL0005RequestFanOutWithoutPacingCodeFix : CodeFixProvider
{
    /// <summary>One key for every RL0005 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0005.PaceEachItem";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RequestFanOutWithoutPacing);

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
            if (PacingCode.ClientTarget(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Pace the requests through the client's rate-limit handler",
                        cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        EquivalenceKey),
                    diagnostic);
            }
            else if (FindWork(root, diagnostic) is { } work && CanFix(work, diagnostic))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Wait for a turn under the quota before each item's request",
                        cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken),
                        EquivalenceKey),
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
        var names = default(RuntimeCode.Names);
        PacingCode? clients = null;
        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            if (PacingCode.ClientTarget(root, diagnostic) is { } client)
            {
                // RL0002 reports the same requests: the client paces them, with the same handler and policy RL0002's fix writes.
                clients ??= new PacingCode(editor, model, root, PacingCode.MaxLineLength(document, root.SyntaxTree));
                clients.GiveClient(client, clients.Policy(diagnostic, client));
                changed = true;
                continue;
            }

            if (FindWork(root, diagnostic) is not { } work || !CanFix(work, diagnostic))
            {
                continue;
            }

            var isAsync = PacerWaitCode.IsAsync(diagnostic);
            if (work is AnonymousFunctionExpressionSyntax lambda)
            {
                var position = lambda.Body is BlockSyntax block ? block.OpenBraceToken.Span.End : lambda.Body.SpanStart;
                names = RuntimeCode.Names.At(model, position, names);
                var wait = PacerWaitCode.Statement(diagnostic.Properties, isAsync, names);
                var returnsValue = diagnostic.Properties.TryGetValue(RL0005RequestFanOutWithoutPacingAnalyzer.ReturnsValueProperty, out var r) && r == "true";
                editor.ReplaceNode(lambda, (current, _) => WaitFirst((AnonymousFunctionExpressionSyntax)current, wait, isAsync, returnsValue));
            }
            else
            {
                var statement = (StatementSyntax)work;
                names = RuntimeCode.Names.At(model, statement.SpanStart, names);
                editor.InsertBefore(statement, PacerWaitCode.Statement(diagnostic.Properties, isAsync, names));
            }

            changed = true;
        }

        if (!changed)
        {
            return document;
        }

        if (clients is not null)
        {
            clients.Finish();
            if (clients.NeedsImport && !names.NeedsImport)
            {
                var newRoot = editor.GetChangedRoot();
                var withImport = newRoot is CompilationUnitSyntax unit ? RuntimeCode.AddImport(unit) : newRoot;
                return await Formatter.FormatAsync(document.WithSyntaxRoot(withImport), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return await PacerWaitCode.FinishAsync(document, editor, names, cancellationToken).ConfigureAwait(false);
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

    private static AnonymousFunctionExpressionSyntax WaitFirst(AnonymousFunctionExpressionSyntax lambda, StatementSyntax wait, bool isAsync, bool returnsValue)
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
        // On lines of their own, as a person would write the block: the formatter keeps a block on one line if it is made so.
        var lineBreak = SyntaxFactory.ElasticCarriageReturnLineFeed;
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
