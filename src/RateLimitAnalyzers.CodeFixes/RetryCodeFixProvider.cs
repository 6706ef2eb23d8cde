using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// What the RL0003 and RL0004 fixes share: a fix is offered for each diagnostic the analyzer gave a rewrite for (and only
/// when the runtime is there), under one equivalence key so Fix All applies every kind together, through one editor.
/// </summary>
public abstract class RetryCodeFixProvider : CodeFixProvider
{
    public sealed override FixAllProvider GetFixAllProvider() =>
        FixAllProvider.Create(async (context, document, diagnostics) => await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null || !RuntimeCode.IsAvailable(context.Document, model.Compilation))
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (RetryCode.Site(root, diagnostic) is { } site && Title(root, diagnostic, site) is { } title)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(title, cancellationToken => FixAsync(context.Document, ImmutableArray.Create(diagnostic), cancellationToken), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>The one key every fix of the rule registers under.</summary>
    private protected abstract string EquivalenceKey { get; }

    /// <summary>What the fix for this diagnostic does, in the words the IDE shows; null when no fix applies here.</summary>
    private protected abstract string? Title(SyntaxNode root, Diagnostic diagnostic, SyntaxNode site);

    /// <summary>Rewrites the code at the diagnostic's site.</summary>
    private protected abstract void Apply(RetryCode.Writer writer, Diagnostic diagnostic, SyntaxNode site);

    private Task<Document> FixAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken) =>
        RetryCode.FixAsync(
            document,
            diagnostics,
            (writer, diagnostic) =>
            {
                if (RetryCode.Site(writer.Root, diagnostic) is not { } site || Title(writer.Root, diagnostic, site) is null)
                {
                    return false;
                }

                Apply(writer, diagnostic, site);
                return true;
            },
            cancellationToken);
}
