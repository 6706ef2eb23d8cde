using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0008 fix: the loop's one fixed wait becomes a wait for a turn on the pacer shared under the endpoint's key, with
/// the catalog's quota written out: <c>await Task.Delay(100, ct)</c> becomes
/// <c>await RequestPacer.Shared("api.agora.io/...", QuotaWindow.PerSecond(1), QuotaWindow.PerDay(1000)).WaitTurnAsync(ct)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0008WaitShorterThanQuotaCodeFix))]
public sealed class RL0008WaitShorterThanQuotaCodeFix : CodeFixProvider
{
    /// <summary>One key for every RL0008 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0008.WaitForTurn";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.WaitShorterThanQuota);

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
            else if (FindWait(root, diagnostic) is not null)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        "Wait for a turn under the quota instead",
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

            if (FindWait(root, diagnostic) is not { } wait)
            {
                continue;
            }

            names = RuntimeCode.Names.At(model, wait.SpanStart, names);
            editor.ReplaceNode(wait, PacerWaitCode.Wait(diagnostic.Properties, PacerWaitCode.IsAsync(diagnostic), names).WithTriviaFrom(wait).WithAdditionalAnnotations(Formatter.Annotation));
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

    /// <summary>
    /// The statement's wait to replace: <c>await Task.Delay(...)</c> or <c>Thread.Sleep(...)</c> as a statement of its own.
    /// A loop with several fixed waits gets no fix: which one to keep is the author's call.
    /// </summary>
    private static ExpressionSyntax? FindWait(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!root.FullSpan.Contains(diagnostic.Location.SourceSpan)
            || !diagnostic.Properties.TryGetValue(RL0008WaitShorterThanQuotaAnalyzer.IsOnlyWaitProperty, out var only) || only != "true"
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax call)
        {
            return null;
        }

        return PacerWaitCode.IsAsync(diagnostic)
            ? call.Parent is AwaitExpressionSyntax { Parent: ExpressionStatementSyntax } awaited ? awaited : null
            : call.Parent is ExpressionStatementSyntax ? call : null;
    }
}
