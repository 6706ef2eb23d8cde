using Microsoft.CodeAnalysis;

namespace RateLimitAnalyzers.CodeFixes;

/// <summary>
/// What the RL0003 and RL0004 fixes share: each rewrites the code at the diagnostic's site (its first additional
/// location), through the pass's <see cref="RetryCode.Writer"/>.
/// </summary>
public abstract class RetryCodeFixProvider : EditorCodeFixProvider
{
    private protected RetryCodeFixProvider(string equivalenceKey)
        : base(equivalenceKey)
    {
    }

    /// <summary>What the fix for this diagnostic does, in the words the IDE shows; null when no fix applies here.</summary>
    private protected abstract string? Title(SyntaxNode root, Diagnostic diagnostic, SyntaxNode site);

    /// <summary>Rewrites the code at the diagnostic's site.</summary>
    private protected abstract void Apply(RetryCode.Writer writer, Diagnostic diagnostic, SyntaxNode site);

    private protected sealed override string? Title(SyntaxNode root, Diagnostic diagnostic) =>
        RetryCode.Site(root, diagnostic) is { } site ? Title(root, diagnostic, site) : null;

    private protected sealed override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        if (RetryCode.Site(pass.Root, diagnostic) is not { } site || Title(pass.Root, diagnostic, site) is null)
        {
            return false;
        }

        Apply(pass.Retry, diagnostic, site);
        return true;
    }
}
