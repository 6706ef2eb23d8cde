using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// What every rule's fix shares: a fix is offered for each diagnostic that has one here (and, for the fixes that call the
/// runtime, only when the runtime is there), under the rule's one equivalence key, so Fix All applies every kind together;
/// and every fix of a pass, one or all, goes through one <see cref="FixPass"/>, so fields, handlers and the import are
/// written once.
/// </summary>
public abstract class EditorCodeFixProvider : CodeFixProvider
{
    private readonly string _equivalenceKey;

    private protected EditorCodeFixProvider(string equivalenceKey) => _equivalenceKey = equivalenceKey;

    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || CallsRuntime && !RuntimeCode.IsAvailable(context.Document, model.Compilation))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Title(root, diagnostic) is { } title)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), _equivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>
    /// Whether the fix writes calls to the pacing runtime: then it is offered only where the runtime is emitted, since
    /// the <c>using</c> it adds is what brings the runtime into the project.
    /// </summary>
    private protected virtual bool CallsRuntime => true;

    /// <summary>What the fix for this diagnostic does, in the words the IDE shows; null when no fix applies here.</summary>
    private protected abstract string? Title(SyntaxNode root, Diagnostic diagnostic);

    /// <summary>Makes the diagnostic's edits in the pass; false when there is nothing to do for it (any more).</summary>
    private protected abstract bool Apply(FixPass pass, Diagnostic diagnostic);

    private async Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var pass = await FixPass.CreateAsync(document, CallsRuntime, cancellationToken).ConfigureAwait(false);
        if (pass is null)
        {
            return document;
        }

        var changed = false;
        foreach (var diagnostic in diagnostics)
        {
            changed |= Apply(pass, diagnostic);
        }

        return changed ? await pass.FinishAsync().ConfigureAwait(false) : document;
    }
}
