using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using RateLimitAnalyzers.Rules;

namespace RateLimitAnalyzers.CodeFixes.Rules;

/// <summary>
/// RL0008 fix: the loop's one fixed wait becomes a wait for a turn on the pacer shared under the endpoint's key, held in
/// the <c>static readonly</c> field named after the API that the RL0001 fix also writes and reuses (<see cref="PacingCode"/>),
/// with the catalog's quota written out there: <c>await Task.Delay(100, ct)</c> becomes <c>await AgoraPacer.WaitTurnAsync(ct)</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RL0008WaitShorterThanQuotaCodeFix))]
public sealed class RL0008WaitShorterThanQuotaCodeFix : EditorCodeFixProvider
{
    /// <summary>One key for every RL0008 fix, so Fix All applies them together.</summary>
    public const string EquivalenceKey = "RL0008.WaitForTurn";

    public RL0008WaitShorterThanQuotaCodeFix()
        : base(EquivalenceKey)
    {
    }

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.WaitShorterThanQuota);

    private protected override string? Title(SyntaxNode root, Diagnostic diagnostic) =>
        PacingCode.ClientTarget(root, diagnostic) is not null ? PacingCode.ThroughClientTitle
            : FindWait(root, diagnostic) is not null ? "Wait for a turn under the quota instead"
            : null;

    private protected override bool Apply(FixPass pass, Diagnostic diagnostic)
    {
        if (pass.PaceThroughClient(diagnostic))
        {
            return true;
        }

        if (FindWait(pass.Root, diagnostic) is not { } wait)
        {
            return false;
        }

        var turn = PacerWaitCode.Wait(pass.Pacing, diagnostic, wait, wait.SpanStart);
        if (wait is AwaitExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configured } original }
            && turn is AwaitExpressionSyntax awaitedTurn)
        {
            // await Task.Delay(100, ct).ConfigureAwait(false): the turn is awaited the same way.
            turn = awaitedTurn.WithExpression(original.WithExpression(configured.WithExpression(awaitedTurn.Expression)));
        }

        pass.Editor.ReplaceNode(wait, turn.WithTriviaFrom(wait).WithAdditionalAnnotations(Formatter.Annotation));
        return true;
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

        if (!PacerWaitCode.IsAsync(diagnostic))
        {
            return call.Parent is ExpressionStatementSyntax ? call : null;
        }

        // await Task.Delay(100), or await Task.Delay(100).ConfigureAwait(false), as a statement of its own.
        var awaitedPart = call.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Parent: InvocationExpressionSyntax configured } ? configured : call;
        return awaitedPart.Parent is AwaitExpressionSyntax { Parent: ExpressionStatementSyntax } awaited ? awaited : null;
    }
}
